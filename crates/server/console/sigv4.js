// SigV4 signing in the browser (Web Crypto): every console action is an ordinary signed
// AWS API call, verified and authorized by the server exactly as an SDK's would be.
"use strict";

const enc = new TextEncoder();

function hex(buf) {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256Hex(data) {
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  return hex(await crypto.subtle.digest("SHA-256", bytes));
}

async function hmac(key, data) {
  const k = await crypto.subtle.importKey(
    "raw", typeof key === "string" ? enc.encode(key) : key,
    { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, enc.encode(data));
}

/** RFC 3986 encoding: everything but unreserved characters becomes %XX. */
export function uriEncode(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The canonical URI of an already-encoded path: each segment encoded once more (non-S3). */
function canonicalUri(path) {
  return path.split("/").map(uriEncode).join("/") || "/";
}

/** The canonical query: names and values decoded, re-encoded, sorted. */
function canonicalQuery(query) {
  if (!query) return "";
  const pairs = query.split("&").filter((p) => p).map((p) => {
    const i = p.indexOf("=");
    const name = i < 0 ? p : p.slice(0, i);
    const value = i < 0 ? "" : p.slice(i + 1);
    const dec = (x) => decodeURIComponent(x.replace(/\+/g, "%20"));
    return [uriEncode(dec(name)), uriEncode(dec(value))];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => n + "=" + v).join("&");
}

/** `20261130T211500Z` for a Date. */
export function amzDate(d) {
  return d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * Signs a request; returns the headers to send (Authorization, X-Amz-Date, and the session
 * token when there is one). `host` is the origin's host, as the browser will send it.
 */
export async function sign({ method, host, path, query, headers, body, service, region, creds, now }) {
  const date = amzDate(now || new Date());
  const day = date.slice(0, 8);
  const all = { ...headers, host, "x-amz-date": date };
  if (creds.sessionToken) all["x-amz-security-token"] = creds.sessionToken;
  const names = Object.keys(all).map((k) => k.toLowerCase()).sort();
  const lower = {};
  for (const [k, v] of Object.entries(all)) lower[k.toLowerCase()] = String(v).trim().replace(/\s+/g, " ");
  const canonicalHeaders = names.map((n) => n + ":" + lower[n] + "\n").join("");
  const signedHeaders = names.join(";");
  const payloadHash = await sha256Hex(body || "");
  const canonical = [method, canonicalUri(path), canonicalQuery(query), canonicalHeaders,
    signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, await sha256Hex(canonical)].join("\n");
  let key = await hmac("AWS4" + creds.secretAccessKey, day);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, "aws4_request");
  const signature = hex(await hmac(key, toSign));
  const out = { ...headers, "x-amz-date": date };
  if (creds.sessionToken) out["x-amz-security-token"] = creds.sessionToken;
  out.authorization = `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return out;
}

// Exposed for the known-answer check in the page's self test (see api.js).
export const internals = { canonicalUri, canonicalQuery, sha256Hex };
