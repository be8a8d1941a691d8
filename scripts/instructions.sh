#!/usr/bin/env bash
# Counts the instructions mediamock spends per request of one benchmarked kind: the load
# harness (crates/bench) drives a `cg`-profile build (release code without the fat-LTO link,
# see Cargo.toml) run under valgrind's callgrind, and only mediamock's measured turn is counted.
# Prints the requests counted, instructions per request and the functions that spend the most
# (their own instructions, per request). Compare two builds with each other, not with `release`.
# Needs valgrind.
#
# Usage: scripts/instructions.sh [KIND] [CONNECTIONS] [SECONDS] [BINARY]
#   KIND as `mediamock-bench --only` takes it (default createjob), CONNECTIONS default 8,
#   SECONDS default 10, BINARY default a fresh `cargo build --profile cg` of this tree.
#   KEEP_PROFILE=FILE keeps callgrind's profile there (for callgrind_annotate --inclusive=yes).
set -euo pipefail
cd "$(dirname "$0")/.."
KIND="${1:-createjob}"
CONNS="${2:-8}"
SECS="${3:-10}"
if [ -n "${4:-}" ]; then
  BIN="$(realpath "$4")"
else
  cargo build --profile cg -p server --bin mediamock
  BIN="$PWD/target/cg/mediamock"
fi
cargo build --release -p bench --bins
work=$(mktemp -d)
trap 'kill "$(cat "$work/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT
# The harness stops its servers with SIGKILL, which callgrind cannot survive to write its
# profile: valgrind runs in a session of its own and is dumped from outside. The harness
# starts mediamock a few more times to time its startup; only the run with a config counts.
cat >"$work/wrap.sh" <<WRAP
#!/usr/bin/env bash
case " \$* " in
  *" --config "*)
    setsid valgrind --tool=callgrind --callgrind-out-file=$work/cg.out --dump-instr=no \
      "$BIN" "\$@" 2>"$work/valgrind.log" &
    echo \$! >"$work/pid"
    wait ;;
  *) exec "$BIN" "\$@" ;;
esac
WRAP
chmod +x "$work/wrap.sh"
target/release/mediamock-bench --mediamock "$work/wrap.sh" --no-moto --only "$KIND" \
  --connections "$CONNS" --seconds "$SECS" --rounds 1 >"$work/bench.log" 2>&1 &
bench=$!
# mediamock's turn follows the start of the second (same-size) ceiling; it is idle until then.
until pgrep -f "bench-ceiling --body-bytes" >/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$work/bench.log"; exit 1; }
  sleep 0.1
done
pid=$(cat "$work/pid")
port=$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed -E 's/.*--port ([0-9]+).*/\1/')
served() {
  curl -fsS "http://127.0.0.1:$port/_mediamock/metrics" |
    awk '/^mediamock_requests_total/ { n += $NF } END { print n + 0 }'
}
before=$(served)
callgrind_control -z "$pid" >/dev/null 2>&1
# The turn: 0.5 s of warm-up, then SECONDS; the ceilings' turns that follow leave it idle.
sleep "$(awk -v s="$SECS" 'BEGIN { print s + 1.5 }')"
callgrind_control -d "$pid" >/dev/null 2>&1
after=$(served)
wait "$bench" || true
grep -iF -- "$KIND" "$work/bench.log" | grep -v "via ceiling" | head -3 || true
python3 scripts/callgrind_costs.py "$work"/cg.out.* "$((after - before))"
if [ -n "${KEEP_PROFILE:-}" ]; then cp "$(ls "$work"/cg.out.* | head -1)" "$KEEP_PROFILE"; fi
