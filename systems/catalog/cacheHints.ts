/**
 * Seed 000 step 15.1 "Predictive caching": every station read carries
 * `X-Cache-Hints: preload:98.9,100.9,103.3`, the stations a client should fetch ahead so the dial keeps
 * working offline: the neighbours on the dial and every orb's destination. We add how long the
 * prefetched copies stay good (`max-age`, seconds), after a `;` so a client reading only `preload:`
 * up to the first `;` still gets the seed's list. Pure.
 */

/** The response header, as sent. */
export const CACHE_HINTS_HEADER = 'x-cache-hints';

/**
 * How long a prefetched station stays good offline: a day. The catalog changes by an operator's hand
 * (an import, an upload) and a listener on a long flight should still find the stations they pre-loaded.
 */
export const STATION_HINT_MAX_AGE_SEC = 86_400;

/** `preload:<frequencies ascending, one decimal, each once, the station's own left out>; max-age=<sec>`. */
export function cacheHints(own: number | null, frequencies: ReadonlyArray<number | null | undefined>, maxAgeSec = STATION_HINT_MAX_AGE_SEC): string {
  const tenths = new Set<number>();
  for (const f of frequencies) if (typeof f === 'number' && Number.isFinite(f)) tenths.add(Math.round(f * 10));
  if (own !== null) tenths.delete(Math.round(own * 10));
  const list = [...tenths].sort((a, b) => a - b).map((t) => (t / 10).toFixed(1));
  return `preload:${list.join(',')}; max-age=${maxAgeSec}`;
}
