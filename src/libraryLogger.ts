import { LRUCache } from 'lru-cache';
import type { Logger } from './logger.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Distinct messages remembered for throttling; past it the oldest is forgotten (bounded memory). */
const MAX_KEYS = 1000;

/**
 * The logger Colyseus writes to (`new Server({ logger })`), on pino. Colyseus logs a whole stack for
 * every frame it cannot decode; a client sending garbage would write ~1.3 KB per frame. Each distinct
 * fault (keyed by its throw site) is logged at most once per `intervalMs`, with that stack frame and how many
 * repeats were held back since the previous line.
 */
export function createLibraryLogger(
  log: Logger,
  component: string,
  intervalMs = 10_000,
  now: () => number = Date.now,
): Record<Level, (...args: unknown[]) => void> {
  const child = log.child({ component });
  const seen = new LRUCache<string, { at: number; held: number }>({ max: MAX_KEYS });
  const write =
    (level: Level) =>
    (...args: unknown[]) => {
      const text = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' ');
      const [first = '', second] = text.split('\n');
      // Keyed by where it was thrown (or the message without its numbers): the same fault with other bytes is one line.
      const key = `${level}:${second?.trim() || first.replace(/[0-9]+/g, '#').slice(0, 80)}`;
      const t = now();
      const entry = seen.get(key);
      if (entry && t - entry.at < intervalMs) {
        entry.held++;
        return;
      }
      seen.set(key, { at: t, held: 0 });
      child[level]({ at: second?.trim(), repeatsHeldBack: entry?.held ?? 0 }, first.slice(0, 500));
    };
  return { trace: write('trace'), debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/**
 * Libraries that print straight to the console (@colyseus/schema prints a line per undecodable string
 * a client sends) go through the same throttle, as structured logs. Called once by the process entry.
 */
export function routeConsoleToLogger(log: Logger): void {
  const library = createLibraryLogger(log, 'console');
  /* eslint-disable no-console -- replacing the console is the point: nothing prints to it afterwards */
  console.log = library.info;
  console.info = library.info;
  console.debug = library.debug;
  console.warn = library.warn;
  console.error = library.error;
  /* eslint-enable no-console */
}
