#!/usr/bin/env bash
# Rewrites crates/server/layout/warm-functions.txt: the functions the release `mediamock` runs
# from startup through the first request to every service (the memory benchmark's idle
# phase), recorded with valgrind's callgrind, in address order. crates/server/build.rs links
# them side by side so fewer code pages stay resident. Run it after changes that move much of
# the warm-up code (the memory benchmark's "file" figure grows when the list goes stale), then
# rebuild. Needs valgrind (apt-get install valgrind) and nm.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -p server --bin mediamock
cp target/release/mediamock "$work/mediamock"
cat > "$work/wrap.sh" <<WRAP
#!/usr/bin/env bash
# The benchmark stops its server with SIGKILL, which callgrind cannot survive to write its
# profile: run it in a session of its own and dump the profile from outside instead.
setsid valgrind --tool=callgrind --callgrind-out-file=$work/cg.out --demangle=no \
  --dump-instr=no $work/mediamock "\$@" 2>$work/valgrind.log &
echo \$! > $work/pid
wait
WRAP
chmod +x "$work/wrap.sh"
MEMORY_BENCH_BIN="$work/wrap.sh" MEMORY_BENCH_IDLE_ONLY=1 \
  cargo bench -p server --bench memory </dev/null >"$work/bench.log" 2>&1 &
bench=$!
# The benchmark's idle phase ends with its summary line; then dump and stop the server.
until grep -q "idle after the first request to every service" "$work/bench.log" 2>/dev/null; do
  kill -0 "$bench" 2>/dev/null || { cat "$work/bench.log"; exit 1; }
  sleep 2
done
callgrind_control -d "$(cat "$work/pid")" >/dev/null
sleep 3
kill "$(cat "$work/pid")"
wait "$bench" || true
python3 scripts/text_layout.py "$work/mediamock" "$work"/cg.out* > crates/server/layout/warm-functions.txt
echo "$(wc -l < crates/server/layout/warm-functions.txt) functions listed; rebuild to link with them"
