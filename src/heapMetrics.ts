/**
 * Heap used right after the latest garbage collection: the floor of the heap's sawtooth. After a minor
 * collection it still holds old-generation garbage; the lowest readings over minutes are what a full
 * collection leaves, what the process keeps. A sampled `nodejs_heap_size_used_bytes` lands anywhere between
 * two collections (with a 64 MB semi-space, tens of MB apart here), so growth of what a process keeps is read
 * from this gauge's lows, not from the raw one (the soak, loadtest/soakVerdict.ts, does).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Gauge, type Registry } from 'prom-client';

/** Registers ds_heap_used_after_gc_bytes; returns the function that stops observing collections. */
export function registerHeapAfterGc(registry: Registry): () => void {
  let afterGc: number | null = null;
  // Entries arrive asynchronously, soon after each collection: little has been allocated by then.
  const observer = new PerformanceObserver(() => {
    afterGc = v8.getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
  new Gauge({
    name: 'ds_heap_used_after_gc_bytes',
    help: 'V8 heap used just after the latest garbage collection (minor or major): what the process keeps',
    registers: [registry],
    collect() {
      if (afterGc !== null) this.set(afterGc);
    },
  });
  return () => observer.disconnect();
}
