/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`) by self time:
 * `npx tsx scripts/cpuprofile-top.ts <file.cpuprofile> [--top 30] [--by function|file|package|group] [--from s] [--to s]`
 * (`--from`/`--to`: only the samples that many seconds into the profile, e.g. a load test's window after its ramp).
 * Self time of a node = its hit count × the mean sampling interval; frames are grouped by function
 * name + script location (or by file / npm package, or by `group`: the subsystems BENCHMARKS.md compares
 * — uWS send, schema encode, Colyseus, room logic, Postgres client, passport, recommendations, GC), with
 * (idle), (garbage collector) and (program) kept.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface FrameRow {
  frame: string;
  selfMs: number;
  percent: number;
}

function packageOf(url: string): string {
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) return m[1];
  if (url.startsWith('node:') || !url) return url || '(native)';
  return 'app';
}

/** Native frames uWS runs for a send (they carry no script URL). */
const UWS_NATIVE = new Set(['send', 'cork', 'end', 'publish', 'getBufferedAmount', 'close', 'sendFirstFragment', 'sendFragment', 'sendLastFragment']);

/** The subsystem a frame's self time is charged to; the first matching rule wins. */
export function groupOf(functionName: string, url: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 / native (program)';
  if (/uWebSockets\.js|uwebsockets-transport|src\/transport\.ts/.test(url) || (!url && UWS_NATIVE.has(functionName))) return 'uWS send / receive';
  if (/@colyseus\/schema/.test(url)) return 'schema encode';
  if (/msgpackr/.test(url)) return 'msgpack decode';
  if (/@colyseus\/|node_modules\/colyseus/.test(url)) return 'Colyseus';
  if (/node_modules\/(pg|pg-protocol|pg-pool|pg-types|kysely|@mikro-orm\/[^/]+)\//.test(url) || /\/persistence\/(db|preparedStatements)\.ts/.test(url))
    return 'Postgres client';
  if (/\/(features|persistence|systems)\/passport\//.test(url)) return 'passport';
  if (/[Rr]ecommend/.test(url)) return 'recommendations';
  if (/\/(rooms|features|systems|persistence)\//.test(url)) return 'room logic and features';
  if (/node_modules\/pino/.test(url)) return 'logging (pino)';
  if (/node_modules\//.test(url)) return 'other packages';
  if (url.startsWith('node:') || !url) return 'Node runtime (native)';
  return 'server wiring (src/)';
}

/**
 * The group of a node: its own frame's, or for Node's and V8's native frames (a socket `writev`, a
 * `JSON.stringify`) the group of the nearest caller in a script, so a system call is charged to the code
 * that asked for it (pg's query submit → "Postgres client").
 */
function groupOfNode(id: number, byId: Map<number, ProfileNode>, parent: Map<number, number>): string {
  const own = byId.get(id)!.callFrame;
  const group = groupOf(own.functionName, own.url);
  if (group !== 'Node runtime (native)') return group;
  for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
    const frame = byId.get(up)!.callFrame;
    if (frame.url && !frame.url.startsWith('node:')) return groupOf(frame.functionName, frame.url);
  }
  return group;
}

/** Rows sorted by self time, descending. `root` shortens file paths. */
export function summarize(
  profile: CpuProfile,
  by: 'function' | 'file' | 'package' | 'group' = 'function',
  root = process.cwd(),
  window: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Infinity },
): { rows: FrameRow[]; totalMs: number } {
  const hits = new Map<number, number>();
  const profiledMs = (profile.endTime - profile.startTime) / 1000;
  let totalMs = Math.min(profiledMs, window.toMs) - Math.max(0, window.fromMs);
  if (profile.samples?.length && profile.timeDeltas?.length === profile.samples.length) {
    let atUs = 0;
    profile.samples.forEach((id, i) => {
      atUs += profile.timeDeltas![i]!;
      if (atUs >= window.fromMs * 1000 && atUs < window.toMs * 1000) hits.set(id, (hits.get(id) ?? 0) + 1);
    });
  } else {
    if (window.fromMs > 0 || window.toMs < Infinity) throw new Error('this profile has no sample times: no window can be cut from it');
    if (profile.samples?.length) for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
    else for (const n of profile.nodes) hits.set(n.id, n.hitCount ?? 0);
    totalMs = profiledMs;
  }
  const totalSamples = [...hits.values()].reduce((s, n) => s + n, 0);
  const msPerSample = totalSamples ? totalMs / totalSamples : 0;
  const groups = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  for (const n of profile.nodes) {
    const h = hits.get(n.id) ?? 0;
    if (!h) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const short = file.startsWith(root) ? path.relative(root, file) : file;
    const key =
      by === 'group'
        ? groupOfNode(n.id, byId, parent)
        : by === 'package'
          ? packageOf(url)
          : by === 'file'
            ? short || '(native)'
            : `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    groups.set(key, (groups.get(key) ?? 0) + h);
  }
  const rows = [...groups.entries()]
    .map(([frame, h]) => ({ frame, selfMs: Math.round(h * msPerSample * 10) / 10, percent: totalSamples ? Math.round((h / totalSamples) * 1000) / 10 : 0 }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { rows, totalMs };
}

function main(argv: string[]): void {
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: npx tsx scripts/cpuprofile-top.ts <file.cpuprofile> [--top 30] [--by function|file|package|group]\n');
    process.exit(2);
  }
  const top = Number(argv[argv.indexOf('--top') + 1]) || 30;
  const byArg = argv.includes('--by') ? argv[argv.indexOf('--by') + 1] : 'function';
  const by = (['function', 'file', 'package', 'group'].includes(byArg) ? byArg : 'function') as 'function' | 'file' | 'package' | 'group';
  const seconds = (flag: string, otherwise: number) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) * 1000 : otherwise);
  const window = { fromMs: seconds('--from', 0), toMs: seconds('--to', Infinity) };
  const { rows, totalMs } = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, by, process.cwd(), window);
  const span = window.fromMs > 0 || window.toMs < Infinity ? ` (${window.fromMs / 1000}–${window.toMs / 1000} s in)` : '';
  process.stdout.write(`${path.basename(file)}: ${(totalMs / 1000).toFixed(1)} s profiled${span}, top ${top} by self time (${by})\n`);
  process.stdout.write(`| self ms | % | ${by} |\n| ---: | ---: | --- |\n`);
  for (const r of rows.slice(0, top)) process.stdout.write(`| ${r.selfMs} | ${r.percent} | ${r.frame.replace(/\|/g, '\\|')} |\n`);
}

if (process.argv[1]?.endsWith('cpuprofile-top.ts')) main(process.argv.slice(2));
