/**
 * Heap used right after the latest GC: the floor of the sawtooth. A sampled heap size lands anywhere between two
 * collections (tens of MB apart here), so growth of what a process keeps is read from this gauge's lows (the soak does).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { Registry } from 'prom-client';
import { scrapedGauge } from './metrics.js';

/** Returns the stop. */
export function registerHeapAfterGc(registry: Registry): () => void {
  let afterGc: number | null = null;
  // Entries arrive soon after each collection: little has been allocated by then.
  const observer = new PerformanceObserver(() => {
    afterGc = v8.getHeapStatistics().used_heap_size;
  });
  observer.observe({ entryTypes: ['gc'] });
  scrapedGauge(
    registry,
    'ds_heap_used_after_gc_bytes',
    'V8 heap used just after the latest garbage collection (minor or major): what the process keeps',
    () => afterGc,
  );
  return () => observer.disconnect();
}
