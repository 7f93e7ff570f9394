#!/usr/bin/env bash
# Memory per idle session: `bash bench/sessionMemory.sh <sessions> [VAR=value …]` (e.g. SCHEMA_BUFFER_BYTES=16384).
# Starts the server alone on :2601 (Local backplane, a fresh database `ds_bench_memory`), reads RSS and heap
# from /metrics, joins <sessions> idle bots with the load-test harness, reads them again once all have
# joined, and prints the RSS slope per session. With HEAP_SNAPSHOTS=1 it also writes heap snapshots at 0 and
# at <sessions> into $OUT (default /tmp/ds-bench-memory) for `node bench/heapByConstructor.mjs a b <sessions>`.
# Run it alone on the machine (flock /tmp/bench.lock …).
set -euo pipefail
n=${1:?usage: sessions [VAR=value …]}; shift
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/ds-bench-memory}; mkdir -p "$out"
admin=bench-memory-admin-token-0123456789abcdef
db=${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
psql -q "$db" -c "DROP DATABASE IF EXISTS ds_bench_memory" -c "CREATE DATABASE ds_bench_memory" >/dev/null
snap=(); [ "${HEAP_SNAPSHOTS:-0}" = 1 ] && snap=(--heapsnapshot-signal=SIGUSR2 "--diagnostic-dir=$out")
# ASSET_ARTWORK=false: drawing the demo catalog's artwork after boot would be counted as session memory.
env DATABASE_URL="${db%/*}/ds_bench_memory" PORT=2601 ADMIN_TOKEN=$admin LOG_LEVEL=warn REDIS_URL= ASSET_ARTWORK=false \
  AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR=10000000 AUTH_SIGNINS_PER_SECRET_PER_MINUTE=10000000 "$@" \
  node "${snap[@]}" --max-semi-space-size=64 --import tsx src/main.ts > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; sleep 2; psql -q "$db" -c "DROP DATABASE IF EXISTS ds_bench_memory" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 60); do curl -sf localhost:2601/health/live >/dev/null && break; sleep 1; done
sleep 5
read_metrics() { curl -s -H "authorization: Bearer $admin" localhost:2601/metrics | awk '/^process_resident_memory_bytes/{r=$2/1048576} /^nodejs_heap_size_used_bytes/{h=$2/1048576} /^ds_room_clients\{room="session"\}/{c=$2} END{printf "%d %.1f %.1f", c, r, h}'; }
read -r c0 rss0 heap0 <<< "$(read_metrics)"
[ ${#snap[@]} -gt 0 ] && { kill -USR2 $pid; sleep 15; }
npm run --silent loadtest -- --url ws://127.0.0.1:2601 --admin-token $admin --sessions "$n" --idle-fraction 1 --drop-fraction 0 --duration 90 --quiet > "$out/loadtest.log" 2>&1 &
lt=$!
sleep $(( n / 100 + 45 ))
read -r c1 rss1 heap1 <<< "$(read_metrics)"
[ ${#snap[@]} -gt 0 ] && { kill -USR2 $pid; sleep 25; }
wait $lt || true
echo "sessions $c0 → $c1; RSS $rss0 → $rss1 MB; heap used $heap0 → $heap1 MB; RSS slope $(awk -v a="$rss0" -v b="$rss1" -v n="$c1" 'BEGIN{printf "%.1f", (b-a)*1024/n}') KB per session"
