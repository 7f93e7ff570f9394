/** Prints one or more {@link RunResult}s as a table, one column per run (e.g. uws | ws). */
import type { RunResult } from './runner.js';
import type { LatencySummary } from './stats.js';

const n = (v: number | null | undefined, digits = 1): string =>
  v === null || v === undefined || !Number.isFinite(v)
    ? '–'
    : v >= 1000
      ? Math.round(v).toLocaleString('en-US')
      : String(Math.round(v * 10 ** digits) / 10 ** digits);
const lat = (s: LatencySummary | undefined): string => (!s || !s.count ? '–' : `${n(s.p50)} / ${n(s.p95)} / ${n(s.p99)} / ${n(s.max)}`);

type Row = [string, (r: RunResult) => string];

const ROWS: Row[] = [
  [
    'sessions connected / failed / dropped',
    (r) => `${r.counters.sessions.connected} / ${r.counters.sessions.failed} / ${r.counters.sessions.dropped} (of ${r.options.sessions})`,
  ],
  ['session bots measured (SDK) / light', (r) => (r.bots ? `${r.bots.measured} / ${r.bots.light}` : '–')],
  [
    'spectators connected / failed',
    (r) =>
      r.options.spectators
        ? r.counters.spectators.unavailable
          ? `coliseum unavailable (${r.counters.spectators.unavailable})`
          : `${r.counters.spectators.connected} / ${r.counters.spectators.failed} (of ${r.options.spectators})`
        : '–',
  ],
  ['drop+reconnect ok / attempted', (r) => `${r.counters.reconnects.ok} / ${r.counters.reconnects.attempted}`],
  [
    'handoff moved / crashed / resumed / same id / closed',
    (r) =>
      r.handoff
        ? `${r.handoff.moved} / ${r.handoff.crashed} / ${r.handoff.resumed} / ${r.handoff.sameSessionId} / ${r.handoff.closed}${r.handoff.freshSessions ? ` (+${r.handoff.freshSessions} fresh)` : ''}`
        : '–',
  ],
  [
    'handoff gap / rejoin ms p50/p99',
    (r) => (r.handoff?.resumed ? `${n(r.handoff.gapMsP50)}/${n(r.handoff.gapMsP99)} / ${n(r.handoff.rejoinMsP50)}/${n(r.handoff.rejoinMsP99)}` : '–'),
  ],
  [
    'handoff station / stars mismatch (after crash); changed in flight',
    (r) =>
      r.handoff?.resumed
        ? `${r.handoff.stationMismatch} / ${r.handoff.starsMismatch} (${r.handoff.stationMismatchAfterCrash} / ${r.handoff.starsMismatchAfterCrash}); ${r.handoff.changedInFlight ?? 0}`
        : '–',
  ],
  ['swipe→first patch ms p50/p95/p99/max', (r) => lat(r.latencyMs.swipeToPatch)],
  ['swipe→locked ms p50/p95/p99/max', (r) => lat(r.latencyMs.swipeToLocked)],
  ['capture→captured ms p50/p95/p99/max', (r) => lat(r.latencyMs.captureToCaptured)],
  ['tap→transition ms p50/p95/p99/max', (r) => lat(r.latencyMs.tapToTransition)],
  ['auth (POST /api/auth/device) ms p50/p95/p99/max', (r) => lat(r.latencyMs.authDevice)],
  ['join session ms p50/p95/p99/max', (r) => lat(r.latencyMs.joinSession)],
  ['patch interval ms p50/p95/p99/max', (r) => lat(r.latencyMs.patchInterval)],
  ['patch jitter ms p50/p95/p99/max', (r) => lat(r.latencyMs.patchJitter)],
  [
    'session in: frames/s, bytes/s (wire)',
    (r) => `${n(r.traffic.session.perBot.framesInPerSec, 2)}, ${n(r.traffic.session.perBot.bytesInPerSec)} (${n(r.traffic.session.perBot.wireBytesInPerSec)})`,
  ],
  ['session in: patch bytes/s', (r) => n(r.traffic.session.perBot.patchBytesInPerSec)],
  [
    'idle session in: patch frames/s, bytes/s (wire)',
    (r) =>
      r.traffic.idleSession?.botSeconds
        ? `${n(r.traffic.idleSession.perBot.patchFramesInPerSec, 2)}, ${n(r.traffic.idleSession.perBot.patchBytesInPerSec)} (${n(r.traffic.idleSession.perBot.wireBytesInPerSec)} all frames, wire)`
        : '–',
  ],
  [
    'session out: frames/s, bytes/s (wire)',
    (r) =>
      `${n(r.traffic.session.perBot.framesOutPerSec, 2)}, ${n(r.traffic.session.perBot.bytesOutPerSec)} (${n(r.traffic.session.perBot.wireBytesOutPerSec)})`,
  ],
  [
    'spectator in: frames/s, bytes/s (wire)',
    (r) =>
      r.traffic.spectator.botSeconds
        ? `${n(r.traffic.spectator.perBot.framesInPerSec, 2)}, ${n(r.traffic.spectator.perBot.bytesInPerSec)} (${n(r.traffic.spectator.perBot.wireBytesInPerSec)})`
        : '–',
  ],
  [
    'spectator lag ms p50/p95/p99/max',
    (r) =>
      r.spectatorLag.best
        ? `${lat(r.spectatorLag.best.count)} [${r.spectatorLag.best.stream}→${r.spectatorLag.best.leaderboard}, ${r.spectatorLag.best.count.count}/${r.spectatorLag.best.eligible} seen, fit ${r.spectatorLag.best.fit}${r.spectatorLag.bestCountsEvents ? '' : ' UNRELIABLE'}]`
        : '–',
  ],
  ['spectator lag (change bound) p95 ms', (r) => n(r.spectatorLag.best?.change.p95)],
  [
    'inputs sent: swipes/taps/captures/sensors',
    (r) => `${r.counters.actions.swipes}/${r.counters.actions.taps}/${r.counters.actions.captures}/${r.counters.actions.sensorBatches}`,
  ],
  [
    'error replies',
    (r) =>
      Object.entries(r.counters.errors)
        .map(([k, v]) => `${k}×${v}`)
        .join(', ') || '0',
  ],
  [
    'generator CPU cores per 1,000 bots',
    (r) =>
      r.generator.processCpuCoresAvg === null ? '–' : n((r.generator.processCpuCoresAvg * 1000) / Math.max(1, r.options.sessions + r.options.spectators), 3),
  ],
  [
    'generator CPU cores / worker ELU',
    (r) => `${n(r.generator.processCpuCoresAvg, 2)} / ${r.generator.workerEventLoopUtilization.join(', ')}${r.generator.saturated ? ' SATURATED' : ''}`,
  ],
  [
    'machine busy cores / other processes',
    (r) =>
      `${n(r.machine.busyCoresAvg, 2)} of ${r.machine.cores} / ${n(r.machine.otherProcessesCoresAvg, 2)}${(r.machine.otherProcessesCoresAvg ?? 0) > 0.2 ? ' CONTENDED' : ''} (load ${r.machine.loadAvg1mAtStart} at start)`,
  ],
  [
    'server CPU % avg / max (100 = 1 core)',
    (r) => (r.server.available ? `${n(r.server.cpuPercentAvg)} / ${n(r.server.cpuPercentMax)}` : `– (${r.server.reason})`),
  ],
  [
    'server CPU % avg per process',
    (r) => (r.servers && r.servers.length > 1 ? r.servers.map((p) => `${n(p.cpuPercentAvg)} (${n(p.sessionClients, 0)} sessions)`).join(' + ') : '–'),
  ],
  ['server RSS max MB', (r) => n(r.server.rssMbMax)],
  ['server event-loop delay max ms', (r) => n(r.server.eventLoopDelayMaxMs)],
  ['server session tick ms p50/p99', (r) => (r.server.tickMs?.session ? `${n(r.server.tickMs.session.p50, 3)} / ${n(r.server.tickMs.session.p99, 3)}` : '–')],
  [
    'server session patch ms p50/p99',
    (r) => (r.server.patchMs?.session ? `${n(r.server.patchMs.session.p50, 3)} / ${n(r.server.patchMs.session.p99, 3)}` : '–'),
  ],
  ['server patch bytes/s per session', (r) => n(r.server.patchBytesPerSessionPerSec)],
  [
    'naive JSON baseline B/s per session (× patches)',
    (r) =>
      r.server.baselineJsonBytesPerSessionPerSec && r.server.patchBytesPerSessionPerSec
        ? `${n(r.server.baselineJsonBytesPerSessionPerSec)} (${n(r.server.baselineJsonBytesPerSessionPerSec / r.server.patchBytesPerSessionPerSec)}×)`
        : '– (server without PATCH_BASELINE=json)',
  ],
  [
    'passport accepted / persisted (window)',
    (r) => (r.server.passport ? `${n(r.server.passport.acceptedInWindow, 0)} / ${n(r.server.passport.persistedInWindow, 0)}` : '–'),
  ],
  [
    'passport accepted / persisted (end)',
    (r) =>
      r.server.passport
        ? `${n(r.server.passport.acceptedTotal, 0)} / ${n(r.server.passport.persistedTotal, 0)}, rejected ${n(r.server.passport.rejectedTotal, 0)}`
        : '–',
  ],
  [
    'passport queue depth max / flush p50 ms',
    (r) => (r.server.passport ? `${n(r.server.passport.queueDepthMax, 0)} / ${n(r.server.passport.flushLatencyP50Ms)}` : '–'),
  ],
  ['leaderboard update lag p95 s', (r) => n(r.server.leaderboardLagSec?.p95, 2)],
  [
    'postgres transactions/s / per active session-second',
    (r) => (r.postgres?.available ? `${n(r.postgres.perSec)} / ${n(r.postgres.perActiveSessionSecond, 3)}` : `– (${r.postgres?.reason ?? 'not sampled'})`),
  ],
  [
    'redis commands/s / per session-second',
    (r) => (r.redis?.available ? `${n(r.redis.commandsPerSec)} / ${n(r.redis.commandsPerSessionSecond, 3)}` : `– (${r.redis?.reason ?? 'not sampled'})`),
  ],
  ['redis CPU cores', (r) => (r.redis?.available ? n(r.redis.cpuCores, 3) : '–')],
  [
    'redis top commands (calls in window)',
    (r) =>
      r.redis?.available
        ? (r.redis.top ?? [])
            .slice(0, 5)
            .map((c) => `${c.command} ${c.calls}`)
            .join(', ') || '0'
        : '–',
  ],
];

export function formatTable(results: readonly RunResult[]): string {
  const header = ['', ...results.map((r) => `${r.label}${r.timedOut ? ' (TIMED OUT)' : ''}`)];
  const rows = [header, ...ROWS.map(([label, f]) => [label, ...results.map((r) => f(r))])];
  const widths = header.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join(' | ');
  const first = results[0];
  const title = first
    ? `${first.options.sessions} sessions, ${first.options.spectators} spectators, ${first.options.durationSec}s steady after ${first.options.rampSec}s ramp, ${first.options.workers} worker(s)`
    : '';
  return [title, line(rows[0]), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)].join('\n');
}

/**
 * Why sessions failed, by count (the bots' join failures: sign-in status and error code, or the join's close
 * code and message), with what to do when the server's abuse limits refused them.
 */
export function formatJoinFailures(results: readonly RunResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const failures = Object.entries(r.counters.joinFailures).sort((a, b) => b[1] - a[1]);
    if (failures.length === 0) continue;
    lines.push(`${results.length > 1 ? `[${r.label}] ` : ''}why joins failed (count × status or close code, message):`);
    for (const [why, count] of failures) lines.push(`  ${count} × ${why}`);
    if (failures.some(([why]) => /\b429\b|RATE_LIMITED/.test(why))) {
      lines.push(
        '  the server\'s abuse limits refused bots from this address: start the server with `npm start` (it sets DEV_RAISED_LIMITS=true, which NODE_ENV=production refuses), or raise AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR and MATCHMAKES_PER_ADDRESS_PER_MINUTE (docs/CONFIG.md "limits")',
      );
    }
  }
  return lines.join('\n');
}
