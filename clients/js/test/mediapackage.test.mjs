// MediaPackage v1 and v2 with the AWS SDK for JavaScript v3: channels and endpoints, a v2
// harvest job through the SDK's waiter, paginators, errors and IAM users' calls.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  CreateChannelCommand as CreateV1ChannelCommand,
  CreateOriginEndpointCommand as CreateV1EndpointCommand,
  DeleteChannelCommand as DeleteV1ChannelCommand,
  DescribeChannelCommand,
  ListChannelsCommand as ListV1ChannelsCommand,
  MediaPackageClient,
  paginateListChannels as paginateV1Channels,
} from "@aws-sdk/client-mediapackage";
import {
  CreateChannelCommand,
  CreateChannelGroupCommand,
  CreateHarvestJobCommand,
  CreateOriginEndpointCommand,
  DeleteChannelGroupCommand,
  GetChannelCommand,
  ListChannelGroupsCommand,
  MediaPackageV2Client,
  paginateListChannelGroups,
  waitUntilHarvestJobFinished,
} from "@aws-sdk/client-mediapackagev2";
import { ACCOUNT, REGION, allow, client, collect, deniedMessage, expectError, newUser, startServer } from "../lib/mediamock.mjs";

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test("v1 root: channels, an HLS endpoint, paging, errors", async () => {
  const mp = client(MediaPackageClient, server.endpoint);
  const ch = await mp.send(new CreateV1ChannelCommand({ Id: "js-sports" }));
  assert.equal(ch.HlsIngest.IngestEndpoints.length, 2);
  const e = await mp.send(new CreateV1EndpointCommand({ Id: "js-hls", ChannelId: "js-sports", HlsPackage: {} }));
  assert.ok(e.Url.startsWith(server.endpoint) && e.Url.endsWith("/index.m3u8"), e.Url);
  const playlist = await fetch(e.Url);
  assert.equal(playlist.status, 200);
  assert.match(await playlist.text(), /^#EXTM3U/);
  for (let i = 0; i < 4; i++) await mp.send(new CreateV1ChannelCommand({ Id: `js-page-${i}` }));
  const { items, pages } = await collect(paginateV1Channels({ client: mp, pageSize: 2 }, {}), "Channels");
  assert.equal(items.length, 5);
  assert.equal(pages, 3);
  await expectError(mp.send(new CreateV1ChannelCommand({ Id: "js-sports" })), "UnprocessableEntityException");
  const missing = await expectError(mp.send(new DescribeChannelCommand({ Id: "nope" })), "NotFoundException");
  assert.equal(missing.$metadata.httpStatusCode, 404);
  await expectError(mp.send(new DeleteV1ChannelCommand({ Id: "js-sports" })), "UnprocessableEntityException");
});

test("v2 root: a harvest job through the HarvestJobFinished waiter, paging, errors", async () => {
  const mp = client(MediaPackageV2Client, server.endpoint);
  for (const g of ["js-g", "js-g2", "js-g3"]) await mp.send(new CreateChannelGroupCommand({ ChannelGroupName: g }));
  await mp.send(new CreateChannelCommand({ ChannelGroupName: "js-g", ChannelName: "live" }));
  await mp.send(new CreateOriginEndpointCommand({
    ChannelGroupName: "js-g", ChannelName: "live", OriginEndpointName: "web",
    ContainerType: "TS", HlsManifests: [{ ManifestName: "index" }],
  }));
  const now = Date.now();
  const names = { ChannelGroupName: "js-g", ChannelName: "live", OriginEndpointName: "web", HarvestJobName: "clip" };
  await mp.send(new CreateHarvestJobCommand({
    ...names,
    HarvestedManifests: { HlsManifests: [{ ManifestName: "index" }] },
    ScheduleConfiguration: { StartTime: new Date(now - 600_000), EndTime: new Date(now - 60_000) },
    Destination: { S3Destination: { BucketName: "bucket", DestinationPath: "clips/" } },
  }));
  const done = await waitUntilHarvestJobFinished({ client: mp, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, names);
  assert.equal(done.state, "SUCCESS");
  assert.equal(done.reason.Status, "COMPLETED");
  const { items, pages } = await collect(paginateListChannelGroups({ client: mp, pageSize: 2 }, {}), "Items");
  assert.deepEqual(items.map((g) => g.ChannelGroupName).sort(), ["js-g", "js-g2", "js-g3"]);
  assert.equal(pages, 2);
  const conflict = await expectError(mp.send(new DeleteChannelGroupCommand({ ChannelGroupName: "js-g" })), "ConflictException");
  assert.equal(conflict.$metadata.httpStatusCode, 409);
  await expectError(mp.send(new GetChannelCommand({ ChannelGroupName: "js-g", ChannelName: "nope" })), "ResourceNotFoundException");
});

test("IAM users: denied without a policy, allowed with one", async () => {
  const iam = client(IAMClient, server.endpoint);
  const v1 = client(MediaPackageClient, server.endpoint, await newUser(iam, "js-mp"));
  await expectError(
    v1.send(new ListV1ChannelsCommand({})),
    "AccessDeniedException",
    // No resource type in the reference, yet AWS names the account's channels (the User
    // Guide's troubleshooting example).
    deniedMessage("js-mp", "mediapackage:ListChannels", `arn:aws:mediapackage:${REGION}:${ACCOUNT}:channels/*`),
  );
  const v2 = client(MediaPackageV2Client, server.endpoint, await newUser(iam, "js-mp2"));
  await expectError(
    v2.send(new ListChannelGroupsCommand({})),
    "AccessDeniedException",
    deniedMessage("js-mp2", "mediapackagev2:ListChannelGroups"),
  );
  const reader = await newUser(iam, "js-mp-reader", allow("mediapackage:List*", "mediapackagev2:List*"));
  assert.equal((await client(MediaPackageClient, server.endpoint, reader).send(new ListV1ChannelsCommand({}))).Channels.length, 5);
  assert.equal((await client(MediaPackageV2Client, server.endpoint, reader).send(new ListChannelGroupsCommand({}))).Items.length, 3);
  await expectError(
    client(MediaPackageV2Client, server.endpoint, reader).send(new CreateChannelGroupCommand({ ChannelGroupName: "nope" })),
    "AccessDeniedException",
  );
});
