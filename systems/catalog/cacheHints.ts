/**
 * `X-Cache-Hints: preload:98.9,100.9; max-age=86400` on every station read: the neighbours and every orb's
 * destination, so the dial keeps working offline. `max-age` follows a `;` so a reader of `preload:` alone still works.
 */

export const CACHE_HINTS_HEADER = 'x-cache-hints';

/** A day: the catalog changes by an operator's hand, and a listener on a long flight should keep their stations. */
export const STATION_HINT_MAX_AGE_SEC = 86_400;

/** Frequencies ascending, one decimal, each once, the station's own left out. */
export function cacheHints(own: number | null, frequencies: ReadonlyArray<number | null | undefined>, maxAgeSec = STATION_HINT_MAX_AGE_SEC): string {
  const tenths = new Set<number>();
  for (const f of frequencies) if (typeof f === 'number' && Number.isFinite(f)) tenths.add(Math.round(f * 10));
  if (own !== null) tenths.delete(Math.round(own * 10));
  const list = [...tenths].sort((a, b) => a - b).map((t) => (t / 10).toFixed(1));
  return `preload:${list.join(',')}; max-age=${maxAgeSec}`;
}
