// STS and IAM with the AWS SDK for JavaScript v3: identities, signatures, AssumeRole by an IAM
// user, the policy simulator, IAM's waiter and paginator, a user's SSH keys and service-specific
// credentials, a service last accessed report, errors as the SDK parses them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceSpecificCredentialCommand,
  CreateUserCommand,
  DeleteRoleCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  GenerateServiceLastAccessedDetailsCommand,
  GetContextKeysForPrincipalPolicyCommand,
  GetServiceLastAccessedDetailsCommand,
  GetUserCommand,
  IAMClient,
  ListPolicyTagsCommand,
  ListServiceSpecificCredentialsCommand,
  ListSSHPublicKeysCommand,
  ListUsersCommand,
  paginateListInstanceProfiles,
  paginateListUsers,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  TagPolicyCommand,
  UploadSSHPublicKeyCommand,
  waitUntilUserExists,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { IvsClient, CreateChannelCommand, ListChannelsCommand } from "@aws-sdk/client-ivs";
import { ACCOUNT, allow, client, collect, deniedMessage, expectError, newUser, startServer } from "../lib/mediamock.mjs";

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

test("root and an IAM user are who they say; bad keys are refused", async () => {
  const me = await client(STSClient, server.endpoint).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Account, ACCOUNT);
  assert.equal(me.Arn, `arn:aws:iam::${ACCOUNT}:root`);
  const wrong = client(STSClient, server.endpoint, { accessKeyId: "test", secretAccessKey: "wrong" });
  const err = await expectError(wrong.send(new GetCallerIdentityCommand({})), "SignatureDoesNotMatch");
  assert.equal(err.$metadata.httpStatusCode, 403);
  const unknown = client(STSClient, server.endpoint, { accessKeyId: "AKIANOSUCHKEY0000000", secretAccessKey: "x" });
  await expectError(
    unknown.send(new GetCallerIdentityCommand({})),
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
  );
  const iam = client(IAMClient, server.endpoint);
  const creds = await newUser(iam, "js-ann");
  const user = await client(STSClient, server.endpoint, creds).send(new GetCallerIdentityCommand({}));
  assert.equal(user.Arn, `arn:aws:iam::${ACCOUNT}:user/js-ann`);
  await expectError(
    iam.send(new GetUserCommand({ UserName: "nobody" })),
    "NoSuchEntityException",
    "The user with name nobody cannot be found.",
  );
  // An IAM user with no policy may not call IAM either.
  await expectError(
    client(IAMClient, server.endpoint, creds).send(new ListUsersCommand({})),
    "AccessDenied",
    deniedMessage("js-ann", "iam:ListUsers", `arn:aws:iam::${ACCOUNT}:user/`),
  );
});

test("an IAM user assumes a role its trust policy names; root may not", async () => {
  const iam = client(IAMClient, server.endpoint);
  const trust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole" }],
  };
  await iam.send(new CreateRoleCommand({ RoleName: "js-streamer", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/js-streamer`;
  await iam.send(new AttachRolePolicyCommand({ RoleName: "js-streamer", PolicyArn: "arn:aws:iam::aws:policy/IVSFullAccess" }));
  const bob = client(STSClient, server.endpoint, await newUser(iam, "js-bob"));

  // Trusted by the role, but no identity policy of bob's allows sts:AssumeRole yet (STS's
  // message, unlike other services', gives no reason).
  await expectError(
    bob.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "demo" })),
    "AccessDenied",
    `User: arn:aws:iam::${ACCOUNT}:user/js-bob is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
  );
  await iam.send(new PutUserPolicyCommand({ UserName: "js-bob", PolicyName: "assume", PolicyDocument: JSON.stringify(allow("sts:AssumeRole")) }));
  const { Credentials } = await bob.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "demo" }));
  const session = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
  const me = await client(STSClient, server.endpoint, session).send(new GetCallerIdentityCommand({}));
  assert.equal(me.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/js-streamer/demo`);
  const made = await client(IvsClient, server.endpoint, session).send(new CreateChannelCommand({ name: "from-role" }));
  assert.match(made.channel.arn, /^arn:aws:ivs:us-west-2:000000000000:channel\//);

  const root = client(STSClient, server.endpoint);
  await expectError(
    root.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "root" })),
    "AccessDenied",
    "Roles may not be assumed by root accounts.",
  );
});

test("SimulateCustomPolicy, IAM's waiter and paginator", async () => {
  const iam = client(IAMClient, server.endpoint);
  const sim = await iam.send(
    new SimulateCustomPolicyCommand({
      PolicyInputList: [JSON.stringify(allow("ivs:GetChannel"))],
      ActionNames: ["ivs:GetChannel", "ivs:DeleteChannel"],
    }),
  );
  const decisions = Object.fromEntries(sim.EvaluationResults.map((r) => [r.EvalActionName, r.EvalDecision]));
  assert.deepEqual(decisions, { "ivs:GetChannel": "allowed", "ivs:DeleteChannel": "implicitDeny" });

  for (let i = 0; i < 5; i++) await iam.send(new CreateUserCommand({ UserName: `js-page-${i}`, Path: "/paged/" }));
  await waitUntilUserExists({ client: iam, maxWaitTime: 10 }, { UserName: "js-page-4" });
  const { items, pages } = await collect(paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: "/paged/" }), "Users");
  assert.deepEqual(items.map((u) => u.UserName), [0, 1, 2, 3, 4].map((i) => `js-page-${i}`));
  assert.equal(pages, 3);
});

test("instance profiles, policy tags and a principal's context keys", async () => {
  const iam = client(IAMClient, server.endpoint);
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] };
  await iam.send(new CreateRoleCommand({ RoleName: "js-ec2", AssumeRolePolicyDocument: JSON.stringify(trust) }));
  for (const name of ["js-ip-a", "js-ip-b", "js-ip-c"]) {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: "/js/" }));
  }
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "js-ip-a", RoleName: "js-ec2" }));
  const { items, pages } = await collect(
    paginateListInstanceProfiles({ client: iam, pageSize: 2 }, { PathPrefix: "/js/" }),
    "InstanceProfiles",
  );
  assert.deepEqual(items.map((p) => p.InstanceProfileName), ["js-ip-a", "js-ip-b", "js-ip-c"]);
  assert.equal(pages, 2);
  assert.equal(items[0].Roles[0].RoleName, "js-ec2");
  await expectError(
    iam.send(new DeleteRoleCommand({ RoleName: "js-ec2" })),
    "DeleteConflictException",
    "Cannot delete entity, must remove roles from instance profile first.",
  );

  const { Policy } = await iam.send(
    new CreatePolicyCommand({ PolicyName: "js-tagged", PolicyDocument: JSON.stringify(allow("ivs:GetChannel")) }),
  );
  await iam.send(new TagPolicyCommand({ PolicyArn: Policy.Arn, Tags: [{ Key: "team", Value: "video" }] }));
  const tags = await iam.send(new ListPolicyTagsCommand({ PolicyArn: Policy.Arn }));
  assert.deepEqual(tags.Tags, [{ Key: "team", Value: "video" }]);

  await iam.send(new CreateUserCommand({ UserName: "js-keys" }));
  const condition = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::${aws:username}/*", Condition: { Bool: { "aws:SecureTransport": "true" } } }],
  };
  await iam.send(new PutUserPolicyCommand({ UserName: "js-keys", PolicyName: "own", PolicyDocument: JSON.stringify(condition) }));
  const keys = await iam.send(
    new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/js-keys` }),
  );
  assert.deepEqual(keys.ContextKeyNames, ["aws:username", "aws:SecureTransport"]);
  await expectError(
    iam.send(new GetContextKeysForPrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${ACCOUNT}:user/js-nobody` })),
    "NoSuchEntityException",
    "The user with name js-nobody cannot be found.",
  );
});

test("a user's SSH key and service-specific credential, then DeleteUser", async () => {
  const iam = client(IAMClient, server.endpoint);
  const fixtures = new URL("../../../crates/iam/fixtures/", import.meta.url);
  const body = readFileSync(new URL("ssh-rsa-2048.pub", fixtures), "utf8");
  await iam.send(new CreateUserCommand({ UserName: "js-git" }));
  const { SSHPublicKey } = await iam.send(new UploadSSHPublicKeyCommand({ UserName: "js-git", SSHPublicKeyBody: body }));
  assert.equal(SSHPublicKey.Fingerprint, "6d:f2:74:35:56:e6:ed:e3:98:69:b6:47:15:f8:5c:d1");
  assert.ok(SSHPublicKey.UploadDate instanceof Date);
  await expectError(
    iam.send(new UploadSSHPublicKeyCommand({ UserName: "js-git", SSHPublicKeyBody: "ssh-rsa AAAA" })),
    "InvalidPublicKeyException",
  );
  const { ServiceSpecificCredential: made } = await iam.send(
    new CreateServiceSpecificCredentialCommand({ UserName: "js-git", ServiceName: "cassandra.amazonaws.com" }),
  );
  assert.equal(made.ServiceUserName, `js-git-at-${ACCOUNT}`);
  await expectError(
    iam.send(new DeleteUserCommand({ UserName: "js-git" })),
    "DeleteConflictException",
    "Cannot delete entity, must remove referenced objects first.",
  );
  const keys = await iam.send(new ListSSHPublicKeysCommand({ UserName: "js-git" }));
  assert.deepEqual(keys.SSHPublicKeys.map((k) => k.SSHPublicKeyId), [SSHPublicKey.SSHPublicKeyId]);
  await iam.send(new DeleteSSHPublicKeyCommand({ UserName: "js-git", SSHPublicKeyId: SSHPublicKey.SSHPublicKeyId }));
  const creds = await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: "js-git" }));
  assert.equal(creds.ServiceSpecificCredentials.length, 1);
  assert.equal(creds.ServiceSpecificCredentials[0].ServicePassword, undefined);
  await iam.send(
    new DeleteServiceSpecificCredentialCommand({ UserName: "js-git", ServiceSpecificCredentialId: made.ServiceSpecificCredentialId }),
  );
  await iam.send(new DeleteUserCommand({ UserName: "js-git" }));
});

test("a service last accessed report shows the user's IVS calls", async () => {
  const iam = client(IAMClient, server.endpoint);
  const creds = await newUser(iam, "js-audited", allow("ivs:ListChannels"));
  await client(IvsClient, server.endpoint, creds).send(new ListChannelsCommand({}));
  const arn = `arn:aws:iam::${ACCOUNT}:user/js-audited`;
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: "ACTION_LEVEL" }));
  let report;
  do {
    report = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }));
  } while (report.JobStatus === "IN_PROGRESS");
  assert.equal(report.JobStatus, "COMPLETED");
  assert.ok(report.JobCompletionDate instanceof Date);
  assert.deepEqual(report.ServicesLastAccessed.map((s) => s.ServiceNamespace), ["ivs"]);
  const [ivs] = report.ServicesLastAccessed;
  assert.equal(ivs.LastAuthenticatedEntity, arn);
  assert.ok(ivs.LastAuthenticated instanceof Date);
  assert.deepEqual(ivs.TrackedActionsLastAccessed.map((a) => a.ActionName), ["ListChannels"]);
  await expectError(
    iam.send(new GetServiceLastAccessedDetailsCommand({ JobId: "00000000-0000-4000-8000-000000000000" })),
    "NoSuchEntityException",
  );
});
