#!/usr/bin/env bash
# Soak test (not part of `make test`): starts target/release/mediamock in memory, runs a
# million mixed requests across every service against it from several clients (crates/server/examples/soak.rs),
# and prints throughput, unexpected errors and the server's RSS over time.
# Usage: scripts/soak.sh [TOTAL_REQUESTS] [CLIENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
TOTAL="${1:-1000000}"
CLIENTS="${2:-8}"
# Two builds: built together with the example, the server would get its dev-dependencies'
# features too and be linked apart from what `make run` builds (its symbols renamed, the text
# layout's names stale: see crates/server/build.rs), so the soak would measure another binary.
cargo build --release -p server --example soak
cargo build --release -p server --bin mediamock
PORT="${SOAK_PORT:-4599}"
# A deleted MediaConnect flow shows DELETING for 3 s and counts against the flow quota
# (20) until it is gone: at soak rates hundreds are DELETING at once, so the quota is raised.
CONFIG="$(mktemp --suffix=.toml)"
printf '[quotas.mediaconnect]\nFlows = 10000\n' >"$CONFIG"
# Another server on the port would answer the soak in this one's place (its errors and memory
# reported as if they were this build's): refuse to start instead.
if curl -fsS "http://127.0.0.1:$PORT/_mediamock/health" >/dev/null 2>&1; then
  echo "soak: port $PORT already answers; stop that server or set SOAK_PORT" >&2
  exit 1
fi
./target/release/mediamock serve --port "$PORT" --log warn --config "$CONFIG" &
SERVER=$!
trap 'kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$CONFIG"' EXIT
for _ in $(seq 1 100); do
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "soak: mediamock exited before serving" >&2
    exit 1
  fi
  curl -fsS "http://127.0.0.1:$PORT/_mediamock/health" >/dev/null 2>&1 && break
  sleep 0.1
done
./target/release/examples/soak "127.0.0.1:$PORT" "$SERVER" "$TOTAL" "$CLIENTS"
