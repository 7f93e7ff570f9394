/** Small bounded buffers of the LeaderboardFeeder: its lookup caches and its lag window. */

/** A Map used as an LRU: a hit moves the key to the back, inserts evict from the front. */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
  }
}

/** The last `size` samples (a ring buffer) and their p50, p95 and max. */
export class LagWindow {
  private readonly samples: number[] = [];
  private next = 0;
  constructor(private readonly size: number) {}
  add(ms: number): void {
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }
  summary(): { p50: number | null; p95: number | null; max: number | null } {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (p: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : null);
    return { p50: at(0.5), p95: at(0.95), max: sorted.length ? sorted[sorted.length - 1] : null };
  }
}
