// AWS API clients for the console: query protocol (IAM, STS), REST-JSON (media services) and
// the signed admin endpoints. Every call goes through SigV4 with the signed-in credentials.
"use strict";

import { sign, uriEncode } from "./sigv4.js";

const KEY = "mediamock.console.credentials";

/** The signed-in credentials, kept for this browser tab's session only. */
export function credentials() {
  const raw = sessionStorage.getItem(KEY);
  const creds = raw ? JSON.parse(raw) : null;
  // A password sign-in's session ends when its credentials expire: sign in again.
  if (creds && creds.expiration && Date.now() / 1000 >= creds.expiration) {
    signOut();
    return null;
  }
  return creds;
}

export function signIn(creds) {
  sessionStorage.setItem(KEY, JSON.stringify(creds));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

/** An error an API answered with: AWS's code and message, as the service worded them. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  toString() {
    return `${this.code}: ${this.message}`;
  }
}

async function send({ service, region, method, path, query = "", body = "", contentType }) {
  const creds = credentials();
  if (!creds) throw new ApiError(0, "NotSignedIn", "Sign in first.");
  if (!crypto.subtle) {
    throw new ApiError(0, "InsecureContext",
      "This page is not a secure context, so the browser offers no Web Crypto to sign with: " +
      "open the console on localhost or 127.0.0.1, or behind TLS.");
  }
  const headers = {};
  if (contentType) headers["content-type"] = contentType;
  const signed = await sign({
    method, host: location.host, path, query, headers, body, service,
    region: region || creds.region, creds,
  });
  const url = path + (query ? "?" + query : "");
  const init = { method, headers: signed, cache: "no-store", credentials: "omit" };
  if (method !== "GET" && method !== "HEAD") init.body = body;
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, headers: r.headers, text };
}

function xmlToValue(el) {
  const kids = Array.from(el.children);
  if (kids.length === 0) return el.textContent;
  if (kids.every((k) => k.localName === "member")) return kids.map(xmlToValue);
  const out = {};
  for (const k of kids) {
    const v = xmlToValue(k);
    if (k.localName in out) {
      out[k.localName] = [].concat(out[k.localName], [v]);
    } else {
      out[k.localName] = v;
    }
  }
  return out;
}

/** A list member that an XML answer wrote as "" when empty, as an array. */
export function list(v) {
  return Array.isArray(v) ? v : v ? [v] : [];
}

/**
 * A query-protocol call (IAM, STS): `params` flattened as AWS's query protocol does
 * (`Name.member.N`). Resolves to the `<Action>Result` element as an object.
 */
export async function query(service, action, params = {}, version = "2010-05-08") {
  const form = new URLSearchParams({ Action: action, Version: version });
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach((x, i) => form.append(`${k}.member.${i + 1}`, x));
    else if (v !== undefined && v !== "") form.append(k, v);
  }
  const body = form.toString();
  const r = await send({
    service, region: "us-east-1", method: "POST", path: "/", body,
    contentType: "application/x-www-form-urlencoded; charset=utf-8",
  });
  const doc = new DOMParser().parseFromString(r.text, "application/xml");
  if (r.status >= 300) {
    const code = doc.querySelector("Error > Code");
    const msg = doc.querySelector("Error > Message");
    throw new ApiError(r.status, code ? code.textContent : String(r.status),
      msg ? msg.textContent : r.text);
  }
  const result = doc.getElementsByTagName(action + "Result")[0];
  return result ? xmlToValue(result) : {};
}

/** A REST-JSON call (IVS, MediaConnect, MediaConvert, MediaPackage). */
export async function rest(service, method, path, body, queryString = "") {
  const text = body === undefined ? "" : JSON.stringify(body);
  const r = await send({
    service, method, path, query: queryString, body: text,
    contentType: body === undefined ? undefined : "application/json",
  });
  let parsed = {};
  try {
    parsed = r.text ? JSON.parse(r.text) : {};
  } catch (_) {
    parsed = { message: r.text };
  }
  if (r.status >= 300) {
    const type = (r.headers.get("x-amzn-errortype") || parsed.__type || parsed.code || "").split(":")[0];
    const code = type.includes("#") ? type.split("#")[1] : type;
    throw new ApiError(r.status, code || String(r.status),
      parsed.message || parsed.Message || r.text);
  }
  return parsed;
}

/** A signed call to a mediamock admin endpoint (root credentials). */
export async function admin(method, route, body) {
  const r = await send({
    service: "iam", region: "us-east-1", method, path: "/_mediamock/" + route,
    body: body === undefined ? "" : JSON.stringify(body),
    contentType: body === undefined ? undefined : "application/json",
  });
  const parsed = r.text ? JSON.parse(r.text) : {};
  if (r.status >= 300) throw new ApiError(r.status, parsed.code || String(r.status), parsed.message || r.text);
  return parsed;
}

/** The open Prometheus metrics, parsed to [{name, labels, value}]. */
export async function metrics() {
  const r = await fetch("/_mediamock/metrics", { cache: "no-store", credentials: "omit" });
  const out = [];
  for (const line of (await r.text()).split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] || "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** One path segment, encoded for a URL (ARNs carry ':' and '/'). */
export const seg = uriEncode;

/**
 * An IAM user's console-password sign-in: the one unsigned call, since the password is the
 * credential. Answers the session's temporary credentials, or throws AWS's refusal.
 */
export async function passwordSignIn(fields) {
  const r = await fetch("/_mediamock/console/signin", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(fields),
    cache: "no-store",
    credentials: "omit",
  });
  let v = {};
  try {
    v = JSON.parse(await r.text());
  } catch (_) {
    v = {};
  }
  if (!r.ok) throw new ApiError(r.status, v.code || "Error", v.message || `HTTP ${r.status}`);
  return v;
}
