// MediaConvert with the AWS SDK for JavaScript v3: a job polled to COMPLETE (the SDK has no
// MediaConvert waiter), queues, the ListJobs paginator, errors, an IAM user's calls, and the
// system presets and job templates real code names.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import {
  CreateJobCommand,
  DeleteQueueCommand,
  GetJobCommand,
  GetPresetCommand,
  GetQueueCommand,
  ListQueuesCommand,
  MediaConvertClient,
  paginateListJobs,
  paginateListJobTemplates,
  paginateListPresets,
} from "@aws-sdk/client-mediaconvert";
import { ACCOUNT, allow, client, collect, deniedMessage, expectError, newUser, startServer } from "../lib/mediamock.mjs";

const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "mediaconvert.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const S3 = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::js-in/*" },
    { Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::js-out/*" },
  ],
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/js-transcoder`;

function settings(input) {
  return {
    Inputs: [{ FileInput: input }],
    OutputGroups: [{
      OutputGroupSettings: { Type: "FILE_GROUP_SETTINGS", FileGroupSettings: { Destination: "s3://js-out/" } },
      Outputs: [{
        ContainerSettings: { Container: "MP4" },
        VideoDescription: { Width: 640, Height: 360, CodecSettings: { Codec: "H_264" } },
      }],
    }],
  };
}

let server;
before(async () => {
  server = await startServer();
  const iam = client(IAMClient, server.endpoint);
  await iam.send(new CreateRoleCommand({ RoleName: "js-transcoder", AssumeRolePolicyDocument: JSON.stringify(TRUST) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: "js-transcoder", PolicyName: "s3", PolicyDocument: JSON.stringify(S3) }));
});
after(async () => { await server.stop(); });

test("root: a job polled to COMPLETE, ListJobs pages, queue errors", async () => {
  const mc = client(MediaConvertClient, server.endpoint);
  const { Job } = await mc.send(new CreateJobCommand({ Role: ROLE, Settings: settings("s3://js-in/a.mov") }));
  assert.equal(Job.Status, "SUBMITTED");
  await mc.send(new CreateJobCommand({ Role: ROLE, Settings: settings("s3://js-in/b.mov") }));
  let job;
  const deadline = Date.now() + 30_000;
  do {
    await new Promise((r) => setTimeout(r, 500));
    job = (await mc.send(new GetJobCommand({ Id: Job.Id }))).Job;
  } while (!["COMPLETE", "ERROR"].includes(job.Status) && Date.now() < deadline);
  assert.equal(job.Status, "COMPLETE");
  assert.ok(job.Timing.FinishTime instanceof Date, "timestamps parse as Dates");
  const { items, pages } = await collect(paginateListJobs({ client: mc, pageSize: 1 }, {}), "Jobs");
  assert.equal(items.length, 2);
  assert.equal(pages, 2);
  assert.equal(items[1].Id, Job.Id, "newest first");
  await expectError(mc.send(new DeleteQueueCommand({ Name: "Default" })), "BadRequestException");
  const missing = await expectError(mc.send(new GetQueueCommand({ Name: "nope" })), "NotFoundException");
  assert.equal(missing.$metadata.httpStatusCode, 404);
});

test("system presets real code names, listed apart, and system job templates", async () => {
  const mc = client(MediaConvertClient, server.endpoint);
  const ladder = ["System-Avc_16x9_720p_29_97fps_3500kbps", "System-Avc_16x9_360p_29_97fps_1200kbps"];
  const { Job } = await mc.send(new CreateJobCommand({
    Role: ROLE,
    Settings: {
      Inputs: [{ FileInput: "s3://js-in/a.mov" }],
      OutputGroups: [{
        Name: "Apple HLS",
        OutputGroupSettings: { Type: "HLS_GROUP_SETTINGS", HlsGroupSettings: { SegmentLength: 10, MinSegmentLength: 0, Destination: "s3://js-out/hls/" } },
        Outputs: ladder.map((Preset, i) => ({ Preset, NameModifier: `_${i}` })),
      }],
    },
  }));
  assert.equal(Job.Status, "SUBMITTED");
  const { Preset } = await mc.send(new GetPresetCommand({ Name: ladder[0] }));
  assert.equal(Preset.Type, "SYSTEM");
  assert.equal(Preset.Description, "Wifi, 1280x720, 16:9, 29.97fps, 3500kbps");
  const own = await collect(paginateListPresets({ client: mc }, {}), "Presets");
  assert.equal(own.items.length, 0, "the default listing is the account's own presets");
  const system = await collect(paginateListPresets({ client: mc, pageSize: 20 }, { ListBy: "SYSTEM" }), "Presets");
  assert.ok(system.items.length > 50 && system.pages > 1);
  const templates = await collect(paginateListJobTemplates({ client: mc }, { ListBy: "SYSTEM" }), "JobTemplates");
  assert.ok(templates.items.some((t) => t.Name === "System-Ott_Hls_Ts_Avc_Aac" && t.Type === "SYSTEM"));
});

test("an IAM user: denied without a policy, and PassRole is checked", async () => {
  const iam = client(IAMClient, server.endpoint);
  const none = client(MediaConvertClient, server.endpoint, await newUser(iam, "js-mcv"));
  await expectError(
    none.send(new ListQueuesCommand({})),
    "AccessDeniedException",
    deniedMessage("js-mcv", "mediaconvert:ListQueues"),
  );
  const user = client(MediaConvertClient, server.endpoint, await newUser(iam, "js-mcv-all", allow("mediaconvert:*")));
  const queues = (await user.send(new ListQueuesCommand({}))).Queues.map((q) => q.Name);
  assert.ok(queues.includes("Default"));
  await expectError(
    user.send(new CreateJobCommand({ Role: ROLE, Settings: settings("s3://js-in/c.mov") })),
    "AccessDeniedException",
    deniedMessage("js-mcv-all", "iam:PassRole", ROLE),
  );
});
