/**
 * Groups the samples of a V8 `.cpuprofile` (node --cpu-prof) by area of the code, per time window. A sample
 * belongs to the first frame from its leaf up that has a source of its own: Node's internals and V8
 * builtins (no url, `node:` urls) count for the code that called them (a Buffer copy inside pg is pg's).
 * Sample times are CLOCK_MONOTONIC µs, the clock of process.hrtime in any process of the machine, so a
 * bench can cut the profile at the times it noted.
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  parent?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Area names in the order the bench prints them. */
export const AREAS = [
  'schema',
  'colyseus core',
  'uWS',
  'zod',
  'msgpack',
  'pg',
  'redis',
  'logging',
  'rooms/',
  'features/',
  'systems/',
  'persistence/',
  'src/',
  'other deps',
  'GC',
  'native/program',
] as const;
export type Area = (typeof AREAS)[number] | 'idle';

const DEPS: Array<[RegExp, Area]> = [
  [/node_modules\/@colyseus\/schema\//, 'schema'],
  // The transport's JS calls into uWS's native send/close: those samples have no url and count here.
  [/node_modules\/(uWebSockets\.js|uwebsockets-express|uws-pack|@colyseus\/uwebsockets-transport)\/|vendor\/uws\//, 'uWS'],
  [/node_modules\/@colyseus\//, 'colyseus core'],
  [/node_modules\/zod\//, 'zod'],
  [/node_modules\/(msgpackr|@msgpack)\//, 'msgpack'],
  [/node_modules\/(pg|pg-protocol|pg-pool|pg-types|pg-copy-streams|kysely|@mikro-orm\/[^/]+)\//, 'pg'],
  [/node_modules\/(ioredis|@ioredis|redis-parser)\//, 'redis'],
  [/node_modules\/(pino|sonic-boom|thread-stream)\//, 'logging'],
  [/node_modules\//, 'other deps'],
];

function areaOfUrl(url: string, root: string): Area | null {
  if (!url || url.startsWith('node:')) return null;
  for (const [re, area] of DEPS) if (re.test(url)) return area;
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const rel = path.relative(root, file);
  const top = rel.split(path.sep)[0];
  if (top === 'rooms' || top === 'features' || top === 'systems' || top === 'persistence' || top === 'src') return `${top}/` as Area;
  return 'other deps';
}

/** Area of every profile node (by its first frame with a source, leaf upwards). */
function areasOf(profile: CpuProfile, root: string): Map<number, Area> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areas = new Map<number, Area>();
  for (const n of profile.nodes) {
    const name = n.callFrame.functionName;
    if (name === '(idle)') areas.set(n.id, 'idle');
    else if (name === '(garbage collector)') areas.set(n.id, 'GC');
    else {
      let area: Area | null = null;
      for (let id: number | undefined = n.id; id !== undefined && !area; id = parent.get(id)) area = areaOfUrl(byId.get(id)!.callFrame.url, root);
      areas.set(n.id, area ?? 'native/program');
    }
  }
  return areas;
}

/** µs of samples per area inside each [start, end) window (CLOCK_MONOTONIC µs). */
export function groupProfile(file: string, root: string, windows: Array<{ start: number; end: number }>): Array<Map<Area, number>> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const areas = areasOf(profile, root);
  const out = windows.map(() => new Map<Area, number>());
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    // A sample stands for the interval up to the next one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const w = windows.findIndex((win) => t >= win.start && t < win.end);
    if (w < 0) continue;
    const area = areas.get(profile.samples[i]) ?? 'native/program';
    out[w].set(area, (out[w].get(area) ?? 0) + dt);
  }
  return out;
}
