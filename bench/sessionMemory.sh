#!/usr/bin/env bash
# Memory per session: `bash bench/sessionMemory.sh <sessions> [VAR=value …]` (e.g. SCHEMA_BUFFER_BYTES=16384).
# Starts the server alone on :2601 (Local backplane, a fresh database `ds_bench_memory`), reads its memory from
# /metrics, joins <sessions>/2 bots with the load-test harness, reads again, joins <sessions>/2 more with a second
# harness and reads a third time. The slope from the half to the full population is what one more session costs
# once the process has grown into its load: the young generation (64 MB semi-spaces), compiled code and pools
# grow once when the first bots arrive and would be counted per session by a slope from zero.
# ACTIVE=1: the bots play the load test's journey (swipes, orb taps, captures) instead of sitting idle.
# HEAP_SNAPSHOTS=1 also writes heap snapshots at 0 and at <sessions> into $OUT (default /tmp/ds-bench-memory)
# for `node bench/heapByConstructor.mjs a b <sessions>`. Each reading follows a full garbage collection asked
# through the server's inspector (127.0.0.1:9239). Run it alone on the machine (flock /tmp/bench.lock …).
set -euo pipefail
n=${1:?usage: sessions [VAR=value …]}; shift
half=$(( n / 2 ))
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/ds-bench-memory}; mkdir -p "$out"
admin=bench-memory-admin-token-0123456789abcdef
db=${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
idle=1; [ "${ACTIVE:-0}" = 1 ] && idle=0
psql -q "$db" -c "DROP DATABASE IF EXISTS ds_bench_memory" -c "CREATE DATABASE ds_bench_memory" >/dev/null
snap=(); [ "${HEAP_SNAPSHOTS:-0}" = 1 ] && snap=(--heapsnapshot-signal=SIGUSR2 "--diagnostic-dir=$out")
# ASSET_ARTWORK=false: drawing the demo catalog's artwork after boot would be counted as session memory.
env DATABASE_URL="${db%/*}/ds_bench_memory" PORT=2601 ADMIN_TOKEN=$admin LOG_LEVEL=warn REDIS_URL= ASSET_ARTWORK=false \
  AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR=10000000 AUTH_SIGNINS_PER_SECRET_PER_MINUTE=10000000 MATCHMAKES_PER_ADDRESS_PER_MINUTE=10000000 "$@" \
  node "${snap[@]}" --inspect=127.0.0.1:9239 --max-semi-space-size=64 --import tsx src/main.ts > "$out/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; sleep 2; psql -q "$db" -c "DROP DATABASE IF EXISTS ds_bench_memory" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 60); do curl -sf localhost:2601/health/live >/dev/null && break; sleep 1; done
sleep 5
# After a full collection (through the inspector): sessions, RSS, heap used, heap used after the latest GC,
# heap committed, new space committed, external (MB).
read_metrics() {
  node bench/collectGarbage.mjs 9239
  curl -s -H "authorization: Bearer $admin" localhost:2601/metrics | awk '
    /^process_resident_memory_bytes/{r=$2} /^nodejs_heap_size_used_bytes/{h=$2} /^ds_heap_used_after_gc_bytes/{g=$2}
    /^nodejs_heap_size_total_bytes/{t=$2} /^nodejs_heap_space_size_total_bytes\{space="new"\}/{y=$2}
    /^nodejs_external_memory_bytes/{e=$2} /^ds_room_clients\{room="session"\}/{c=$2}
    END{m=1048576; printf "%d %.1f %.1f %.1f %.1f %.1f %.1f", c, r/m, h/m, g/m, t/m, y/m, e/m}'
}
harness() { # <sessions> <seed> <duration s>
  npm run --silent loadtest -- --url ws://127.0.0.1:2601 --admin-token $admin --sessions "$1" --seed "$2" \
    --idle-fraction $idle --drop-fraction 0 --duration "$3" --quiet >> "$out/loadtest.log" 2>&1 &
}
settle=$(( half / 100 + 45 ))
: > "$out/loadtest.log"
readings=("$(read_metrics)")
[ ${#snap[@]} -gt 0 ] && { kill -USR2 $pid; sleep 15; }
harness "$half" 1 $(( 2 * settle + 60 )); first=$!
sleep $settle; readings+=("$(read_metrics)")
harness $(( n - half )) 2 $(( settle + 30 )); second=$!
sleep $settle; readings+=("$(read_metrics)")
[ ${#snap[@]} -gt 0 ] && { kill -USR2 $pid; sleep 25; }
wait $first $second || true
echo "bots $( [ $idle = 1 ] && echo idle || echo active); MB at each step: sessions RSS heap-used heap-after-gc heap-committed new-space external"
for r in "${readings[@]}"; do echo "  $r"; done
slope() { # <from> <to> <column>: KB per session between two readings
  awk -v a="${readings[$1]}" -v b="${readings[$2]}" -v k="$3" 'BEGIN{split(a,x," "); split(b,y," "); printf "%.1f", (y[k]-x[k])*1024/(y[1]-x[1])}'
}
echo "KB per session, 0 → $n: RSS $(slope 0 2 2), heap used $(slope 0 2 3), heap committed $(slope 0 2 5), new space $(slope 0 2 6)"
echo "KB per session, $half → $n: RSS $(slope 1 2 2), heap used $(slope 1 2 3), after GC $(slope 1 2 4), heap committed $(slope 1 2 5), new space $(slope 1 2 6), external $(slope 1 2 7)"
