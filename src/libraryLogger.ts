import { LRUCache } from 'lru-cache';
import type { Logger } from './logger.js';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** Past it the oldest is forgotten. */
const MAX_KEYS = 1000;

/**
 * Colyseus logs a whole stack for every undecodable frame (~1.3 KB per garbage frame): each distinct fault (by its
 * throw site) is logged at most once per `intervalMs`, with how many repeats were held back.
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
      // The same fault with other bytes is one line.
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

/** @colyseus/schema prints a line per undecodable string a client sends: through the same throttle. */
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
