#!/usr/bin/env bash
# The system tools `make test` needs beyond Rust and Python, installed when missing so that a
# fresh machine (and CI) needs nothing else: venv for the boto3/AWS CLI scenarios, Node.js and
# npm for the JavaScript SDK tests, Chromium and chromedriver for the console's browser test.
# Uses apt-get (through sudo when not root); elsewhere it names what to install and fails.
set -euo pipefail

missing=()
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3-venv python3-pip)
{ command -v node && command -v npm; } >/dev/null 2>&1 || missing+=(nodejs npm)
{ command -v chromium && command -v chromedriver; } >/dev/null 2>&1 || missing+=(chromium chromium-driver)
if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "make test: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if ! command -v apt-get >/dev/null 2>&1 || { [ ${#sudo[@]} -gt 0 ] && ! command -v sudo >/dev/null 2>&1; }; then
  echo "make test needs these (Debian package names): ${missing[*]}; install them and run it again" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
