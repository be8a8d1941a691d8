// Shared helpers for the JS SDK tests: a mediamock server on a free port, clients pointed at
// it, and an assertion on errors as the SDK parses them.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REGION = "us-west-2";
export const ACCOUNT = "000000000000";
export const ROOT = { accessKeyId: "test", secretAccessKey: "test" };

const here = path.dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.MEDIAMOCK_BIN ?? path.resolve(here, "../../../target/debug/mediamock");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, "127.0.0.1");
    sock.once("connect", () => { sock.destroy(); resolve(true); });
    sock.once("error", () => resolve(false));
  });
}

/** Starts the mediamock binary on a free port; resolves once it accepts connections. */
export async function startServer() {
  const port = await freePort();
  const child = spawn(BINARY, ["serve", "--port", String(port), "--seed", "5", "--log", "warn"], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = once(child, "exit");
  for (let i = 0; i < 200 && !(await canConnect(port)); i++) {
    if (child.exitCode !== null) throw new Error(`${BINARY} exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      const [code] = await exited;
      assert.equal(code, 0, "mediamock exits 0 on SIGTERM");
    },
  };
}

/** A client of the given SDK class signing with `credentials` (root by default), no retries. */
export function client(Ctor, endpoint, credentials = ROOT) {
  return new Ctor({ endpoint, region: REGION, credentials, maxAttempts: 1 });
}

/** Awaits `promise`, which must reject with the SDK error `name` (and `message`, if given). */
export async function expectError(promise, name, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${name}, but the call succeeded`);
  assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
  if (message !== undefined) assert.equal(err.message, message);
  return err;
}

/** The message AWS gives when no identity-based policy allows `action` (on `resource`, for an
 * action with resource types or one whose ARN AWS's denials name; AWS names none for most
 * actions without resource types). */
export function deniedMessage(user, action, resource) {
  const on = resource === undefined ? "" : ` on resource: ${resource}`;
  return (
    `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: ${action}${on} ` +
    `because no identity-based policy allows the ${action} action`
  );
}

/** Collects every item under `key` from an SDK paginator. */
export async function collect(paginator, key) {
  const items = [];
  let pages = 0;
  for await (const page of paginator) {
    pages++;
    items.push(...(page[key] ?? []));
  }
  return { items, pages };
}

/** Creates an IAM user (with an inline policy, if given) and an access key; returns its credentials. */
export async function newUser(iam, userName, policy) {
  const { CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } = await import("@aws-sdk/client-iam");
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (policy) {
    await iam.send(
      new PutUserPolicyCommand({ UserName: userName, PolicyName: "p", PolicyDocument: JSON.stringify(policy) }),
    );
  }
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** An identity policy allowing `actions` on every resource. */
export function allow(...actions) {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] };
}
