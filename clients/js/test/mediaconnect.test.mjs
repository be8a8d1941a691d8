// MediaConnect with the AWS SDK for JavaScript v3: a flow's life through the SDK's waiters,
// the ListFlows paginator, errors and an IAM user's calls.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { IAMClient } from "@aws-sdk/client-iam";
import {
  AddFlowOutputsCommand,
  CreateFlowCommand,
  DeleteFlowCommand,
  DescribeFlowCommand,
  ListFlowsCommand,
  MediaConnectClient,
  paginateListFlows,
  StartFlowCommand,
  StopFlowCommand,
  waitUntilFlowActive,
  waitUntilFlowDeleted,
  waitUntilFlowStandby,
} from "@aws-sdk/client-mediaconnect";
import { ACCOUNT, allow, client, collect, deniedMessage, expectError, newUser, REGION, startServer } from "../lib/mediamock.mjs";

const SOURCE = { Name: "src", Protocol: "rtp", IngestPort: 5000, WhitelistCidr: "10.0.0.0/16" };
const WAIT = { maxWaitTime: 30, minDelay: 1, maxDelay: 2 };

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test("root: a flow started, stopped and deleted through the waiters", async () => {
  const mc = client(MediaConnectClient, server.endpoint);
  const { Flow } = await mc.send(new CreateFlowCommand({ Name: "js-game", Source: SOURCE }));
  const FlowArn = Flow.FlowArn;
  assert.equal(Flow.Status, "STANDBY");
  const { Outputs } = await mc.send(
    new AddFlowOutputsCommand({ FlowArn, Outputs: [{ Name: "rtp", Protocol: "rtp-fec", Destination: "198.51.100.5", Port: 5020 }] }),
  );
  assert.ok(Outputs[0].OutputArn.startsWith(`arn:aws:mediaconnect:${REGION}:${ACCOUNT}:output:`));
  await expectError(
    mc.send(new AddFlowOutputsCommand({ FlowArn, Outputs: [{ Name: "x", Protocol: "rtp", Port: 5030 }] })),
    "BadRequestException",
    "Destination is required for protocol rtp.",
  );
  assert.equal((await mc.send(new StartFlowCommand({ FlowArn }))).Status, "STARTING");
  const active = await waitUntilFlowActive({ client: mc, ...WAIT }, { FlowArn });
  assert.equal(active.state, "SUCCESS");
  assert.equal((await mc.send(new DescribeFlowCommand({ FlowArn }))).Flow.Status, "ACTIVE");
  await expectError(mc.send(new DeleteFlowCommand({ FlowArn })), "BadRequestException");
  await mc.send(new StopFlowCommand({ FlowArn }));
  await waitUntilFlowStandby({ client: mc, ...WAIT }, { FlowArn });
  await mc.send(new DeleteFlowCommand({ FlowArn }));
  await waitUntilFlowDeleted({ client: mc, ...WAIT }, { FlowArn });
  const gone = await expectError(mc.send(new DescribeFlowCommand({ FlowArn })), "NotFoundException");
  assert.equal(gone.$metadata.httpStatusCode, 404);
});

test("root: ListFlows pages", async () => {
  const mc = client(MediaConnectClient, server.endpoint);
  for (let i = 0; i < 5; i++) await mc.send(new CreateFlowCommand({ Name: `js-page-${i}`, Source: SOURCE }));
  const { items, pages } = await collect(paginateListFlows({ client: mc, pageSize: 2 }, {}), "Flows");
  assert.equal(new Set(items.map((f) => f.FlowArn)).size, 5);
  assert.equal(pages, 3);
});

test("an IAM user: denied without a policy, allowed with one", async () => {
  const iam = client(IAMClient, server.endpoint);
  const mc = client(MediaConnectClient, server.endpoint, await newUser(iam, "js-mc"));
  const denied = await expectError(
    mc.send(new ListFlowsCommand({})),
    "AccessDeniedException",
    deniedMessage("js-mc", "mediaconnect:ListFlows"),
  );
  assert.equal(denied.$metadata.httpStatusCode, 403);
  const reader = client(MediaConnectClient, server.endpoint, await newUser(iam, "js-mc-reader", allow("mediaconnect:List*", "mediaconnect:Describe*")));
  assert.equal((await reader.send(new ListFlowsCommand({}))).Flows.length, 5);
  await expectError(reader.send(new CreateFlowCommand({ Name: "nope", Source: SOURCE })), "AccessDeniedException");
});
