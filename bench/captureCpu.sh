#!/usr/bin/env bash
# Server CPU per capture with recommendations recomputed on every capture (RECOMMENDATION_MIN_INTERVAL_MS=0)
# against the configured coalescing interval: the same fixed journey, rounds alternated so load drift hits both.
# Usage: bash bench/captureCpu.sh [rounds=3] [sessions=400] [seconds=40]
# Jobs stay in the server process (--jobs inprocess), as when these figures were first taken: comparable across commits.
set -euo pipefail
rounds=${1:-3}; sessions=${2:-400}; seconds=${3:-40}; ramp=10
dir=$(mktemp -d /tmp/capture-cpu.XXXX)
for r in $(seq 1 "$rounds"); do
  for mode in every default; do
    env_args=(); [ "$mode" = every ] && env_args=(--server-env RECOMMENDATION_MIN_INTERVAL_MS=0)
    npx tsx loadtest/cli.ts --spawn uws --jobs inprocess --sessions "$sessions" --duration "$seconds" --ramp "$ramp" \
      --idle-fraction 0 --drop-fraction 0 --seed 7 --quiet "${env_args[@]}" --out "$dir/$mode-$r.json" > "$dir/$mode-$r.log" 2>&1
    echo "round $r $mode: $(uptime | sed 's/.*load/load/')"
  done
done
node - "$dir" <<'JS'
const fs = require('fs'); const dir = process.argv[2];
const rows = {};
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const r = JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')); const mode = f.split('-')[0];
  const cpuS = (r.server.cpuPercentAvg / 100) * r.options.durationSec;
  // the generator's capture count spans ramp + window; scale it to the window the server CPU covers
  const caps = r.counters.actions.captures * r.options.durationSec / (r.options.durationSec + r.options.rampSec);
  (rows[mode] ??= []).push({ f, cpuPct: r.server.cpuPercentAvg, captures: r.counters.actions.captures, usPerCapture: (cpuS / caps) * 1e6 });
}
for (const [m, xs] of Object.entries(rows)) for (const x of xs) console.log(m, x.f, `server CPU ${x.cpuPct} %`, `captures ${x.captures}`, `${x.usPerCapture.toFixed(0)} µs/capture`);
const med = (xs) => { const s = xs.map((x) => x.usPerCapture).sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
if (rows.every && rows.default) console.log(`median µs/capture: every ${med(rows.every).toFixed(0)}, default ${med(rows.default).toFixed(0)}, ratio ${(med(rows.every) / med(rows.default)).toFixed(2)}×`);
JS
