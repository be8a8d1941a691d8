// IVS with the AWS SDK for JavaScript v3: root and IAM-user calls, AccessDenied word for word,
// the ListChannels paginator, errors as the SDK parses them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AttachUserPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  CreateChannelCommand,
  DeleteChannelCommand,
  GetChannelCommand,
  IvsClient,
  ListChannelsCommand,
  paginateListChannels,
  PutMetadataCommand,
} from "@aws-sdk/client-ivs";
import { ACCOUNT, client, collect, deniedMessage, expectError, newUser, REGION, startServer } from "../lib/mediamock.mjs";

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test("root: a channel's life, paginated listing, errors", async () => {
  const ivs = client(IvsClient, server.endpoint);
  const made = await ivs.send(new CreateChannelCommand({ name: "js-demo", tags: { Owner: "me" } }));
  const arn = made.channel.arn;
  assert.match(made.streamKey.value, /^sk_us-west-2_/);
  assert.equal((await ivs.send(new GetChannelCommand({ arn }))).channel.name, "js-demo");
  for (let i = 0; i < 20; i++) await ivs.send(new CreateChannelCommand({ name: `js-page-${i}` }));
  const { items, pages } = await collect(paginateListChannels({ client: ivs, pageSize: 7 }, {}), "channels");
  assert.equal(items.length, 21);
  assert.equal(new Set(items.map((c) => c.arn)).size, 21);
  assert.equal(pages, 3);
  const bad = await expectError(ivs.send(new CreateChannelCommand({ name: "bad name!" })), "ValidationException");
  assert.equal(bad.$metadata.httpStatusCode, 400);
  await expectError(ivs.send(new PutMetadataCommand({ channelArn: arn, metadata: "hi" })), "ChannelNotBroadcasting");
  await ivs.send(new DeleteChannelCommand({ arn }));
  const gone = await expectError(ivs.send(new GetChannelCommand({ arn })), "ResourceNotFoundException");
  assert.equal(gone.$metadata.httpStatusCode, 404);
});

test("an IAM user: denied without a policy, read-only with IVSReadOnlyAccess", async () => {
  const iam = client(IAMClient, server.endpoint);
  const ivs = client(IvsClient, server.endpoint, await newUser(iam, "js-ivs"));
  const denied = await expectError(
    ivs.send(new ListChannelsCommand({})),
    "AccessDeniedException",
    deniedMessage("js-ivs", "ivs:ListChannels", `arn:aws:ivs:${REGION}:${ACCOUNT}:channel/*`),
  );
  assert.equal(denied.$metadata.httpStatusCode, 403);
  await iam.send(new AttachUserPolicyCommand({ UserName: "js-ivs", PolicyArn: "arn:aws:iam::aws:policy/IVSReadOnlyAccess" }));
  const listed = await ivs.send(new ListChannelsCommand({}));
  assert.ok(listed.channels.length >= 20);
  await expectError(ivs.send(new CreateChannelCommand({ name: "nope" })), "AccessDeniedException");
});
