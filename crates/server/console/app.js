// The console's pages. Everything is rendered as text nodes, never parsed as markup: names and
// documents come from the API, and another user may have chosen them.
"use strict";

import * as api from "./api.js";

const main = () => document.getElementById("main");

/** Builds an element: h("td", {class: "x"}, "text", child, ...). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function table(id, columns, rows) {
  if (rows.length === 0) return h("p", { id, class: "empty" }, "None.");
  return h("table", { id },
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

/** AWS's error text, as the service answered it. */
function errorBox(e) {
  return h("div", { class: "error", role: "alert" },
    h("strong", {}, e.code || "Error"), " ", e.message || String(e));
}

/** Runs `load` and puts what it renders (or the error AWS answered) into `slot`. */
async function fill(slot, load) {
  // Only the latest load of a slot renders: an earlier, slower answer never overwrites it.
  const turn = (fills.get(slot) || 0) + 1;
  fills.set(slot, turn);
  slot.replaceChildren(h("p", { class: "loading" }, "Loading…"));
  let content;
  try {
    content = [].concat(await load());
  } catch (e) {
    content = [errorBox(e)];
  }
  if (fills.get(slot) === turn) slot.replaceChildren(...content);
}

const fills = new WeakMap();

/** Goes to `hash` and renders it (once, whether or not the hash changes). */
function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function section(title, ...body) {
  return h("section", {}, h("h2", {}, title), ...body);
}

/**
 * A page's way to change something: runs `call`, reports `done` (or AWS's refusal, word for
 * word) in `status`, then reloads what the page shows.
 */
function actor(status, reload) {
  return async (call, done) => {
    status.replaceChildren();
    try {
      const r = await call();
      status.replaceChildren(h("div", { class: "ok" }, typeof done === "function" ? done(r) : done));
      reload();
    } catch (e) {
      status.replaceChildren(errorBox(e));
    }
  };
}

function pretty(doc) {
  try {
    return JSON.stringify(JSON.parse(decodeURIComponent(doc)), null, 2);
  } catch (_) {
    try {
      return JSON.stringify(JSON.parse(doc), null, 2);
    } catch (_) {
      return doc;
    }
  }
}

// ---- sign-in ----

function signInPage() {
  const err = h("div", { id: "sign-in-error" });
  const form = h("form", { id: "sign-in-form", class: "card" },
    h("h2", {}, "Sign in with an access key"),
    h("label", {}, "Access key ID", h("input", { id: "access-key-id", name: "accessKeyId", autocomplete: "off", required: true })),
    h("label", {}, "Secret access key", h("input", { id: "secret-access-key", name: "secret", type: "password", autocomplete: "off", required: true })),
    h("label", {}, "Session token (optional)", h("input", { id: "session-token", name: "token", autocomplete: "off" })),
    h("label", {}, "Region", h("input", { id: "region", name: "region", value: "us-east-1", required: true })),
    h("button", { id: "sign-in", type: "submit" }, "Sign in"),
    h("p", { class: "hint" }, "The key pair stays in this tab's session storage and signs every request (SigV4); " +
      "the server authorizes each one as it would an SDK's."),
    err);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const creds = {
      accessKeyId: form.accessKeyId.value.trim(),
      secretAccessKey: form.secret.value.trim(),
      sessionToken: form.token.value.trim() || undefined,
      region: form.region.value.trim(),
    };
    api.signIn(creds);
    try {
      const who = await api.query("sts", "GetCallerIdentity", {}, "2011-06-15");
      api.signIn({ ...creds, arn: who.Arn, account: who.Account });
      go("#/iam");
    } catch (e) {
      api.signOut();
      err.replaceChildren(errorBox(e));
    }
  });
  main().replaceChildren(passwordForm(), form);
}

/** Sign-in as an IAM user with a console password, with the forced change AWS asks for. */
function passwordForm() {
  const err = h("div", { id: "password-error" });
  const change = h("div", { id: "new-password-fields", hidden: true },
    h("p", { class: "hint" }, ""),
    h("label", {}, "New password", h("input", { id: "new-password", name: "newPassword", type: "password", autocomplete: "new-password" })),
    h("label", {}, "Confirm new password", h("input", { id: "confirm-password", name: "confirmPassword", type: "password", autocomplete: "new-password" })));
  const form = h("form", { id: "password-form", class: "card" },
    h("h2", {}, "Sign in as an IAM user"),
    h("label", {}, "Account ID (12 digits) or account alias", h("input", { id: "account", name: "account", required: true })),
    h("label", {}, "IAM user name", h("input", { id: "user-name", name: "userName", autocomplete: "username", required: true })),
    h("label", {}, "Password", h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true })),
    change,
    h("label", {}, "Region", h("input", { id: "password-region", name: "region", value: "us-east-1", required: true })),
    h("button", { id: "password-sign-in", type: "submit" }, "Sign in"),
    err);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.replaceChildren();
    const fields = {
      account: form.account.value.trim(),
      userName: form.userName.value.trim(),
      password: form.password.value,
    };
    if (!change.hidden) {
      if (form.newPassword.value !== form.confirmPassword.value) {
        err.replaceChildren(errorBox({ code: "PasswordMismatch", message: "The new passwords do not match." }));
        return;
      }
      fields.newPassword = form.newPassword.value;
    }
    try {
      const s = await api.passwordSignIn(fields);
      api.signIn({
        accessKeyId: s.AccessKeyId, secretAccessKey: s.SecretAccessKey, sessionToken: s.SessionToken,
        region: form.region.value.trim(), arn: s.Arn, account: s.Account, expiration: s.Expiration,
      });
      go("#/iam");
    } catch (e) {
      if (e.code === "PasswordResetRequired") {
        change.hidden = false;
        change.firstChild.textContent = e.message;
        form.newPassword.required = true;
        form.newPassword.focus();
      } else {
        err.replaceChildren(errorBox(e));
      }
    }
  });
  return form;
}

// ---- IAM ----

async function iamPage() {
  const users = h("div"), roles = h("div"), groups = h("div"), policies = h("div"), keys = h("div"), doc = h("div");
  const status = h("div", { id: "iam-status" });
  const newUser = h("input", { id: "iam-new-user", placeholder: "user name" });
  const attachUser = h("input", { id: "iam-attach-user", placeholder: "user name" });
  const attachArn = h("input", { id: "iam-attach-arn", placeholder: "arn:aws:iam::aws:policy/ReadOnlyAccess", size: 45 });
  const loadUsers = () => fill(users, async () => {
    const r = await api.query("iam", "ListUsers");
    return table("iam-users", ["Name", "ARN", "Created", ""], api.list(r.Users).map((u) => [
      u.UserName, u.Arn, u.CreateDate,
      h("div", { class: "inline" },
        h("button", { onclick: () => showKeys(u.UserName) }, "Keys"),
        h("button", { class: "iam-new-key", onclick: () => act(() => api.query("iam", "CreateAccessKey", { UserName: u.UserName }),
          (r) => h("span", { id: "iam-new-key" }, `Access key ${r.AccessKey.AccessKeyId} for ${u.UserName}; its secret (shown this once): `,
            h("code", { id: "iam-new-secret" }, r.AccessKey.SecretAccessKey))) }, "New access key"),
        h("button", { class: "danger", onclick: () => act(() => api.query("iam", "DeleteUser", { UserName: u.UserName }), "Deleted user " + u.UserName) }, "Delete"))]));
  });
  const act = actor(status, () => {
    loadUsers();
    showKeys(undefined);
  });
  const create = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const n = newUser.value.trim();
    act(() => api.query("iam", "CreateUser", { UserName: n }), "Created user " + n);
  } }, newUser, h("button", { id: "iam-create-user", type: "submit" }, "Create user"));
  const attach = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const [u, a] = [attachUser.value.trim(), attachArn.value.trim()];
    act(() => api.query("iam", "AttachUserPolicy", { UserName: u, PolicyArn: a }), `Attached ${a} to ${u}`);
  } }, attachUser, attachArn, h("button", { id: "iam-attach", type: "submit" }, "Attach policy to user"));
  // An IAM user changes its own password (iam:ChangePassword), as AWS's console offers.
  const me = /:user\/(?:.*\/)?([^/]+)$/.exec(api.credentials().arn || "");
  const oldPassword = h("input", { id: "iam-old-password", type: "password", autocomplete: "current-password" });
  const newPassword = h("input", { id: "iam-new-password", type: "password", autocomplete: "new-password" });
  const passwordStatus = h("div", { id: "iam-password-status" });
  const changePassword = h("form", { onsubmit: (ev) => {
    ev.preventDefault();
    actor(passwordStatus, () => {})(() => api.query("iam", "ChangePassword",
      { OldPassword: oldPassword.value, NewPassword: newPassword.value }), "Your password was changed.");
  } }, h("label", {}, "Current password", oldPassword), h("label", {}, "New password", newPassword),
  h("button", { id: "iam-change-password", type: "submit" }, "Change password"), passwordStatus);
  main().replaceChildren(
    me ? section(`Your password (${me[1]})`, changePassword) : "",
    section("Users", create, attach, status, users), section("Access keys (yours, or a user's when root)", keys),
    section("Groups", groups), section("Roles", roles),
    section("Customer managed policies", policies), doc);
  const showPolicy = (arn, version) => fill(doc, async () => {
    const v = await api.query("iam", "GetPolicyVersion", { PolicyArn: arn, VersionId: version });
    return section("Policy " + arn, h("pre", { class: "doc" }, pretty(v.PolicyVersion.Document)));
  });
  const showKeys = (user) => fill(keys, async () => {
    const r = await api.query("iam", "ListAccessKeys", { UserName: user });
    return table("iam-keys", ["User", "Access key ID", "Status", "Created"],
      api.list(r.AccessKeyMetadata).map((k) => [k.UserName || user || "", k.AccessKeyId, k.Status, k.CreateDate]));
  });
  loadUsers();
  showKeys(undefined);
  fill(groups, async () => {
    const r = await api.query("iam", "ListGroups");
    return table("iam-groups", ["Name", "ARN"], api.list(r.Groups).map((g) => [g.GroupName, g.Arn]));
  });
  fill(roles, async () => {
    const r = await api.query("iam", "ListRoles");
    return table("iam-roles", ["Name", "ARN", "Trust policy"], api.list(r.Roles).map((x) => [
      x.RoleName, x.Arn, h("pre", { class: "doc" }, pretty(x.AssumeRolePolicyDocument || ""))]));
  });
  fill(policies, async () => {
    const r = await api.query("iam", "ListPolicies", { Scope: "Local" });
    return table("iam-policies", ["Name", "ARN", "Attachments", ""], api.list(r.Policies).map((p) => [
      p.PolicyName, p.Arn, p.AttachmentCount,
      h("button", { onclick: () => showPolicy(p.Arn, p.DefaultVersionId) }, "Document")]));
  });
}

// ---- IVS ----

async function ivsPage() {
  const list = h("div", { id: "ivs-list" });
  const status = h("div", { id: "ivs-status" });
  const name = h("input", { id: "ivs-new-name", placeholder: "channel name" });
  const load = () => fill(list, async () => {
    const [channels, streams] = await Promise.all([
      api.rest("ivs", "POST", "/ListChannels", {}),
      api.rest("ivs", "POST", "/ListStreams", {}).catch(() => ({ streams: [] })),
    ]);
    const live = new Map((streams.streams || []).map((s) => [s.channelArn, s]));
    // Streams start and end through the admin API (there is no RTMP here): root only.
    const creds = api.credentials();
    const root = /:root$/.test(creds.arn || "");
    const stream = (c, action) => act(() => api.admin("POST", "ivs/streams",
      { channelArn: c.arn, action, region: creds.region }), `Stream ${action === "start" ? "started" : "ended"} on ${c.name}`);
    return table("ivs-channels", ["Name", "ARN", "Latency", "Stream", ""], (channels.channels || []).map((c) => [
      c.name, c.arn, c.latencyMode,
      live.has(c.arn) ? `${live.get(c.arn).state} (${live.get(c.arn).health})` : "offline",
      h("div", { class: "inline" },
        root ? (live.has(c.arn)
          ? h("button", { class: "stream-end", onclick: () => stream(c, "end") }, "End stream")
          : h("button", { class: "stream-start", onclick: () => stream(c, "start") }, "Start stream")) : null,
        h("button", { class: "danger", onclick: () => act(() => api.rest("ivs", "POST", "/DeleteChannel", { arn: c.arn }), "Deleted " + c.name) }, "Delete"))]));
  });
  const act = actor(status, () => load());
  const create = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    act(() => api.rest("ivs", "POST", "/CreateChannel", n ? { name: n } : {}), "Created channel " + n);
  } }, name, h("button", { id: "ivs-create", type: "submit" }, "Create channel"));
  main().replaceChildren(section("IVS channels", create, status, list));
  load();
}

// ---- MediaConnect, MediaConvert ----

async function mediaconnectPage() {
  const slot = h("div"), status = h("div", { id: "mediaconnect-status" });
  const name = h("input", { id: "mediaconnect-new-name", placeholder: "flow name" });
  const protocol = h("select", { id: "mediaconnect-new-protocol" },
    ["srt-listener", "rtp", "rtp-fec", "rist", "zixi-push"].map((p) => h("option", { value: p }, p)));
  const port = h("input", { id: "mediaconnect-new-port", type: "number", value: 5000, min: 1, max: 65535 });
  const cidr = h("input", { id: "mediaconnect-new-cidr", value: "10.0.0.0/16" });
  const load = () => fill(slot, async () => {
    const r = await api.rest("mediaconnect", "GET", "/v1/flows");
    return table("mediaconnect-flows", ["Name", "ARN", "Status", "Source", ""], (r.flows || []).map((f) => {
      const path = (verb) => `/v1/flows/${verb}${api.seg(f.flowArn)}`;
      return [f.name, f.flowArn, f.status, f.sourceType || "", h("div", { class: "inline" },
        f.status === "STANDBY" ? h("button", { class: "flow-start", onclick: () => act(() => api.rest("mediaconnect", "POST", path("start/")), "Starting " + f.name) }, "Start") : null,
        f.status === "ACTIVE" ? h("button", { class: "flow-stop", onclick: () => act(() => api.rest("mediaconnect", "POST", path("stop/")), "Stopping " + f.name) }, "Stop") : null,
        h("button", { class: "danger", onclick: () => act(() => api.rest("mediaconnect", "DELETE", path("")), "Deleting " + f.name) }, "Delete"))];
    }));
  });
  const act = actor(status, () => load());
  const create = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const n = name.value.trim();
    act(() => api.rest("mediaconnect", "POST", "/v1/flows", {
      name: n,
      source: { name: "source", protocol: protocol.value, ingestPort: Number(port.value), whitelistCidr: cidr.value.trim() },
    }), "Created flow " + n);
  } }, name, protocol, h("label", {}, "ingest port", port), h("label", {}, "allowed CIDR", cidr),
  h("button", { id: "mediaconnect-create", type: "submit" }, "Create flow"));
  main().replaceChildren(section("MediaConnect flows", create, status, slot));
  load();
}

/** A small job in MediaConvert's wire form (camelCase members), for the create form. */
const EXAMPLE_JOB = JSON.stringify({
  inputs: [{ fileInput: "s3://amzn-s3-demo-bucket/input.mp4", audioSelectors: { "Audio Selector 1": { defaultSelection: "DEFAULT" } } }],
  outputGroups: [{
    name: "File Group",
    outputGroupSettings: { type: "FILE_GROUP_SETTINGS", fileGroupSettings: { destination: "s3://amzn-s3-demo-bucket/output/" } },
    outputs: [{
      containerSettings: { container: "MP4" },
      videoDescription: { codecSettings: { codec: "H_264", h264Settings: { rateControlMode: "QVBR", maxBitrate: 5000000 } } },
      audioDescriptions: [{ codecSettings: { codec: "AAC", aacSettings: { bitrate: 96000, codingMode: "CODING_MODE_2_0", sampleRate: 48000 } } }],
    }],
  }],
}, null, 2);

async function mediaconvertPage() {
  const queues = h("div"), jobs = h("div"), status = h("div", { id: "mediaconvert-status" });
  const queueName = h("input", { id: "mediaconvert-new-queue", placeholder: "queue name" });
  const role = h("input", { id: "mediaconvert-role", placeholder: "arn:aws:iam::123456789012:role/MediaConvertRole", size: 50 });
  const jobQueue = h("input", { id: "mediaconvert-job-queue", placeholder: "Default" });
  const settings = h("textarea", { id: "mediaconvert-settings", rows: 12, cols: 80 }, EXAMPLE_JOB);
  const loadQueues = () => fill(queues, async () => {
    const r = await api.rest("mediaconvert", "GET", "/2017-08-29/queues");
    return table("mediaconvert-queues", ["Name", "Type", "Status", "Pricing", ""], (r.queues || []).map((q) => [
      q.name, q.type, q.status, q.pricingPlan,
      q.type === "CUSTOM" ? h("button", { class: "danger", onclick: () => act(() => api.rest("mediaconvert", "DELETE", "/2017-08-29/queues/" + api.seg(q.name)), "Deleted queue " + q.name) }, "Delete") : ""]));
  });
  const loadJobs = () => fill(jobs, async () => {
    const r = await api.rest("mediaconvert", "GET", "/2017-08-29/jobs");
    return table("mediaconvert-jobs", ["ID", "Status", "Progress", "Queue", "Created", ""], (r.jobs || []).map((j) => [
      j.id, j.status, j.jobPercentComplete === undefined ? "" : j.jobPercentComplete + "%",
      (j.queue || "").split("/").pop(), j.createdAt,
      j.status === "SUBMITTED" || j.status === "PROGRESSING"
        ? h("button", { class: "danger job-cancel", onclick: () => act(() => api.rest("mediaconvert", "DELETE", "/2017-08-29/jobs/" + api.seg(j.id)), "Canceled job " + j.id) }, "Cancel")
        : ""]));
  });
  const act = actor(status, () => {
    loadQueues();
    loadJobs();
  });
  const createQueue = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const n = queueName.value.trim();
    act(() => api.rest("mediaconvert", "POST", "/2017-08-29/queues", { name: n }), "Created queue " + n);
  } }, queueName, h("button", { id: "mediaconvert-create-queue", type: "submit" }, "Create queue"));
  const createJob = h("form", { onsubmit: (ev) => {
    ev.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(settings.value);
    } catch (e) {
      status.replaceChildren(errorBox({ code: "InvalidJSON", message: "The job settings are not JSON: " + e.message }));
      return;
    }
    const body = { role: role.value.trim(), settings: parsed };
    if (jobQueue.value.trim()) body.queue = jobQueue.value.trim();
    act(() => api.rest("mediaconvert", "POST", "/2017-08-29/jobs", body), (r) => "Submitted job " + r.job.id);
  } }, h("label", {}, "IAM role", role), h("label", {}, "Queue (optional)", jobQueue), h("label", {}, "Settings (MediaConvert's wire form)", settings),
  h("button", { id: "mediaconvert-create-job", type: "submit" }, "Create job"));
  main().replaceChildren(section("MediaConvert queues", createQueue, queues),
    section("MediaConvert jobs", createJob, status, jobs));
  loadQueues();
  loadJobs();
}

// ---- MediaPackage ----

function manifestLink(url) {
  return url ? h("a", { href: url, target: "_blank", rel: "noopener" }, url) : "";
}

async function mediapackagePage() {
  const v2 = h("div"), v1 = h("div"), policy = h("div", { id: "mediapackage-policy" });
  const status = h("div", { id: "mediapackage-status" });
  const input = (id, placeholder) => h("input", { id, placeholder });
  const group = input("mp2-group", "channel group"), channel = input("mp2-channel", "channel");
  const endpoint = input("mp2-endpoint", "origin endpoint");
  const v1Channel = input("mp1-channel", "channel ID"), v1Endpoint = input("mp1-endpoint", "endpoint ID");
  const showPolicy = (title, path) => fill(policy, async () => {
    try {
      const p = await api.rest("mediapackagev2", "GET", path);
      return section(title, h("pre", { class: "doc" }, pretty(p.Policy)));
    } catch (e) {
      if (e.code === "ResourceNotFoundException") return section(title, h("p", {}, "No policy."));
      throw e;
    }
  });
  // Whether a resource exists: its GET answers, or answers that it does not.
  const exists = (service, path) => api.rest(service, "GET", path).then(() => true, (err) => {
    if (err.code === "ResourceNotFoundException" || err.code === "NotFoundException") return false;
    throw err;
  });
  const remove = (service, path, what, label) =>
    h("button", { class: "danger mp-delete", onclick: () => act(() => api.rest(service, "DELETE", path), "Deleted " + what) }, label);
  const loadV2 = () => fill(v2, async () => {
    const groups = (await api.rest("mediapackagev2", "GET", "/channelGroup")).Items || [];
    const rows = [];
    for (const g of groups) {
      const gp = "/channelGroup/" + api.seg(g.ChannelGroupName);
      const channels = (await api.rest("mediapackagev2", "GET", gp + "/channel")).Items || [];
      if (channels.length === 0) {
        rows.push([g.ChannelGroupName, "", "(channel group)", "", remove("mediapackagev2", gp, "channel group " + g.ChannelGroupName, "Delete")]);
      }
      for (const c of channels) {
        const cp = gp + "/channel/" + api.seg(c.ChannelName);
        const endpoints = (await api.rest("mediapackagev2", "GET", cp + "/originEndpoint")).Items || [];
        rows.push([g.ChannelGroupName, c.ChannelName, "(channel)", "", h("div", { class: "inline" },
          h("button", { onclick: () => showPolicy(`Policy of channel ${c.ChannelName}`, cp + "/policy") }, "Policy"),
          endpoints.length === 0 ? remove("mediapackagev2", cp, "channel " + c.ChannelName, "Delete") : null)]);
        for (const e of endpoints) {
          const ep = cp + "/originEndpoint/" + api.seg(e.OriginEndpointName);
          const urls = [].concat(e.HlsManifests || [], e.LowLatencyHlsManifests || [], e.DashManifests || [])
            .map((m) => manifestLink(m.Url));
          rows.push([g.ChannelGroupName, c.ChannelName, e.OriginEndpointName, h("div", {}, urls), h("div", { class: "inline" },
            h("button", { onclick: () => showPolicy(`Policy of endpoint ${e.OriginEndpointName}`, ep + "/policy") }, "Policy"),
            remove("mediapackagev2", ep, "origin endpoint " + e.OriginEndpointName, "Delete"))]);
        }
      }
    }
    return table("mediapackagev2-endpoints", ["Channel group", "Channel", "Origin endpoint", "Manifest URL", ""], rows);
  });
  const loadV1 = () => fill(v1, async () => {
    const [channels, endpoints] = await Promise.all([
      api.rest("mediapackage", "GET", "/channels"),
      api.rest("mediapackage", "GET", "/origin_endpoints"),
    ]);
    return [
      table("mediapackage-channels", ["Channel", "ARN", ""], (channels.channels || []).map((c) => [c.id, c.arn,
        remove("mediapackage", "/channels/" + api.seg(c.id), "channel " + c.id, "Delete")])),
      table("mediapackage-endpoints", ["Endpoint", "Channel", "URL", ""], (endpoints.originEndpoints || []).map((e) => [
        e.id, e.channelId, manifestLink(e.url),
        remove("mediapackage", "/origin_endpoints/" + api.seg(e.id), "endpoint " + e.id, "Delete")])),
    ];
  });
  const act = actor(status, () => {
    loadV2();
    loadV1();
  });
  // Each form makes what its fields name, the parents first if they are new: a channel group,
  // its channel, and a TS origin endpoint with one HLS manifest (`index`).
  const createV2 = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const [g, c, e] = [group.value.trim(), channel.value.trim(), endpoint.value.trim()];
    act(async () => {
      const gp = "/channelGroup/" + api.seg(g), cp = gp + "/channel/" + api.seg(c);
      if (!(await exists("mediapackagev2", gp))) await api.rest("mediapackagev2", "POST", "/channelGroup", { ChannelGroupName: g });
      if (c && !(await exists("mediapackagev2", cp))) await api.rest("mediapackagev2", "POST", gp + "/channel", { ChannelName: c });
      if (c && e) {
        await api.rest("mediapackagev2", "POST", cp + "/originEndpoint", {
          OriginEndpointName: e, ContainerType: "TS", HlsManifests: [{ ManifestName: "index" }],
        });
      }
    }, "Created " + [g, c, e].filter(Boolean).join(" / "));
  } }, group, channel, endpoint, h("button", { id: "mp2-create", type: "submit" }, "Create"));
  const createV1 = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    const [c, e] = [v1Channel.value.trim(), v1Endpoint.value.trim()];
    act(async () => {
      if (!(await exists("mediapackage", "/channels/" + api.seg(c)))) await api.rest("mediapackage", "POST", "/channels", { id: c });
      if (e) await api.rest("mediapackage", "POST", "/origin_endpoints", { channelId: c, id: e, hlsPackage: {} });
    }, "Created " + [c, e].filter(Boolean).join(" / "));
  } }, v1Channel, v1Endpoint, h("button", { id: "mp1-create", type: "submit" }, "Create"));
  main().replaceChildren(status, section("MediaPackage v2", createV2, v2), policy,
    section("MediaPackage v1", createV1, v1));
  loadV2();
  loadV1();
}

// ---- decision log and metrics ----

async function decisionsPage() {
  const principal = h("input", { id: "decisions-principal", placeholder: "principal ARN contains…" });
  const result = h("select", { id: "decisions-result" },
    h("option", { value: "" }, "any result"), h("option", { value: "allow" }, "allowed"), h("option", { value: "deny" }, "denied"));
  const slot = h("div");
  const load = () => fill(slot, async () => {
    const all = await api.admin("GET", "decisions");
    const p = principal.value.trim();
    const rows = all.filter((d) => (!p || d.principal.includes(p)) &&
      (!result.value || String(d.decision).toLowerCase().includes(result.value)));
    rows.reverse();
    return table("decisions", ["Time", "Principal", "Action", "Resource", "Decision", "Why", "Deciding statement"],
      rows.map((d) => [new Date(d.time * 1000).toISOString(), d.principal, d.action, d.resource,
        h("span", { class: String(d.decision).toLowerCase().includes("allow") ? "allow" : "deny" }, d.decision),
        d.reason || "", d.matchedStatement ? h("pre", { class: "doc" }, typeof d.matchedStatement === "string"
          ? d.matchedStatement : JSON.stringify(d.matchedStatement, null, 2)) : ""]));
  });
  principal.addEventListener("input", load);
  result.addEventListener("change", load);
  main().replaceChildren(section("Authorization decisions (your account; root credentials)",
    h("div", { class: "inline" }, principal, result, h("button", { onclick: load }, "Refresh")), slot));
  load();
}

let metricsTimer = null;

async function metricsPage() {
  const slot = h("div", { id: "metrics" });
  main().replaceChildren(section("Live metrics (every 2 s)", slot));
  const tick = () => fill(slot, async () => {
    const m = await api.metrics();
    const pick = (name) => m.filter((x) => x.name === name);
    const requests = pick("mediamock_requests_total").sort((a, b) => b.value - a.value);
    const count = pick("mediamock_request_duration_seconds_count")[0];
    const sum = pick("mediamock_request_duration_seconds_sum")[0];
    return [
      h("p", {}, `Requests: ${count ? count.value : 0}; mean latency: ${count && count.value
        ? ((sum.value / count.value) * 1000).toFixed(2) : "0"} ms`),
      table("metrics-decisions", ["Decision", "Count"], pick("mediamock_authorization_decisions_total").map((x) => [x.labels.result, x.value])),
      table("metrics-requests", ["Service", "Operation", "Status", "Count"], requests.map((x) => [
        x.labels.service, x.labels.operation, x.labels.status, x.value])),
      table("metrics-resources", ["Service", "Type", "Stored"], pick("mediamock_resources").map((x) => [x.labels.service, x.labels.type, x.value])),
    ];
  });
  tick();
  metricsTimer = setInterval(() => {
    if (location.hash === "#/metrics") tick();
  }, 2000);
}

// ---- why ----

/** The policies a user or role has directly, each with the ID the simulator cites it by. */
async function principalPolicies(arn) {
  const m = /^arn:aws:iam::\d+:(user|role)\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) return [];
  const [kind, name] = [m[1], m[2]];
  const K = kind === "user" ? "User" : "Role";
  const out = [];
  const inline = await api.query("iam", `List${K}Policies`, { [`${K}Name`]: name });
  for (const p of api.list(inline.PolicyNames)) {
    const d = await api.query("iam", `Get${K}Policy`, { [`${K}Name`]: name, PolicyName: p });
    // The simulator cites an inline policy as AWS does: `user_<user>_<policy>`, `role_…`.
    out.push({ id: `${kind}_${name}_${p}`, title: `inline ${p}`, doc: d.PolicyDocument });
  }
  const attached = await api.query("iam", `ListAttached${K}Policies`, { [`${K}Name`]: name });
  for (const p of api.list(attached.AttachedPolicies)) {
    const meta = await api.query("iam", "GetPolicy", { PolicyArn: p.PolicyArn });
    const v = await api.query("iam", "GetPolicyVersion", { PolicyArn: p.PolicyArn, VersionId: meta.Policy.DefaultVersionId });
    // …and a managed policy by its name.
    out.push({ id: p.PolicyName, title: `managed ${p.PolicyArn}`, doc: v.PolicyVersion.Document });
  }
  return out;
}

async function whyPage() {
  const principal = h("input", { id: "why-principal", placeholder: "arn:aws:iam::123456789012:user/alice", size: 50 });
  const action = h("input", { id: "why-action", placeholder: "ivs:CreateChannel" });
  const resource = h("input", { id: "why-resource", value: "*", size: 50 });
  const slot = h("div", { id: "why-result" });
  const form = h("form", { class: "inline", onsubmit: (ev) => {
    ev.preventDefault();
    fill(slot, async () => {
      const r = await api.query("iam", "SimulatePrincipalPolicy", {
        PolicySourceArn: principal.value.trim(), ActionNames: [action.value.trim()],
        ResourceArns: [resource.value.trim() || "*"],
      });
      const results = api.list(r.EvaluationResults);
      const policies = await principalPolicies(principal.value.trim()).catch((e) => [{ id: "", title: "policies", error: e }]);
      const matched = new Set(results.flatMap((x) => api.list(x.MatchedStatements).map((s) => s.SourcePolicyId)));
      return h("div", { class: "side-by-side" },
        h("div", {}, results.map((x) => h("div", { class: "card" },
          h("p", {}, h("strong", {}, x.EvalActionName), " on ", x.EvalResourceName, ": ",
            h("span", { id: "why-decision", class: x.EvalDecision === "allowed" ? "allow" : "deny" }, x.EvalDecision)),
          table("why-statements", ["Deciding policy", "Type", "From line", "To line"],
            api.list(x.MatchedStatements).map((s) => [s.SourcePolicyId, s.SourcePolicyType,
              s.StartPosition ? s.StartPosition.Line : "", s.EndPosition ? s.EndPosition.Line : ""])),
          api.list(x.MissingContextValues).length ? h("p", {}, "Missing context: " + api.list(x.MissingContextValues).join(", ")) : null))),
        h("div", {}, policies.map((p) => p.error ? errorBox(p.error) : h("div", { class: matched.has(p.id) ? "card matched" : "card" },
          h("h3", {}, p.title), h("pre", { class: "doc" }, pretty(p.doc))))));
    });
  } }, principal, action, resource, h("button", { id: "why-run", type: "submit" }, "Why?"));
  main().replaceChildren(section("Why is this allowed or denied? (iam:SimulatePrincipalPolicy)", form, slot));
}

// ---- shell ----

const pages = {
  "#/iam": iamPage, "#/ivs": ivsPage, "#/mediaconnect": mediaconnectPage,
  "#/mediaconvert": mediaconvertPage, "#/mediapackage": mediapackagePage,
  "#/decisions": decisionsPage, "#/metrics": metricsPage, "#/why": whyPage,
};

function render() {
  if (metricsTimer) {
    clearInterval(metricsTimer);
    metricsTimer = null;
  }
  const creds = api.credentials();
  const nav = document.getElementById("nav");
  const who = document.getElementById("identity");
  if (!creds) {
    nav.hidden = true;
    who.replaceChildren();
    signInPage();
    return;
  }
  nav.hidden = false;
  who.replaceChildren(h("span", { id: "identity-arn" }, creds.arn || creds.accessKeyId), " ",
    h("span", { class: "hint" }, creds.region), " ",
    h("button", { id: "sign-out", onclick: () => { api.signOut(); go("#/"); } }, "Sign out"));
  const page = pages[location.hash] || iamPage;
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.getAttribute("href") === location.hash);
  page();
}

window.addEventListener("hashchange", render);
render();
