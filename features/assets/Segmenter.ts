/**
 * Runs the segmentation model (shipped in `@mediapipe/selfie_segmentation`, nothing fetched) in one worker thread,
 * one request at a time. A request past `timeoutMs` terminates the worker (a stuck run cannot hold a core), refuses
 * everything waiting, and the next request starts a fresh one. At most `maxWaiting` wait.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../systems/errors.js';
import type { SegmentReply, SegmentRequest } from './segmentWorker.js';

/** The model's input side (pixels), fixed by the model file. */
export const SEGMENT_INPUT_SIDE = 256;

export class SegmentationFailedError extends AppError<'PROCESSING_FAILED'> {
  constructor(message: string) {
    super('PROCESSING_FAILED', message, undefined, 5);
  }
}

interface Waiting {
  resolve(mask: Float32Array): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class Segmenter {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly options: { timeoutMs: number; maxWaiting: number }) {}

  /** The person probability (0..1) of each pixel of a 256×256 RGB image given as floats in 0..1, row-major. */
  segment(input: Float32Array): Promise<Float32Array> {
    if (this.waiting.size >= this.options.maxWaiting)
      return Promise.reject(new SegmentationFailedError(`${this.options.maxWaiting} images are waiting for background removal already; retry shortly`));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(`background removal took longer than ${this.options.timeoutMs} ms (ASSET_SEGMENT_TIMEOUT_MS)`),
        this.options.timeoutMs,
      );
      this.waiting.set(id, { resolve, reject, timer });
      worker.postMessage({ id, input } satisfies SegmentRequest, [input.buffer as ArrayBuffer]);
    });
  }

  /** Stops the worker; whatever waits is refused. */
  async close(): Promise<void> {
    this.fail('the server is shutting down');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn();
    worker.on('message', (reply: SegmentReply) => {
      const entry = this.waiting.get(reply.id);
      if (!entry) return;
      this.waiting.delete(reply.id);
      clearTimeout(entry.timer);
      if ('mask' in reply) entry.resolve(reply.mask);
      else entry.reject(new SegmentationFailedError(`background removal failed: ${reply.error}`));
    });
    worker.on('error', (err) => this.fail(`the background-removal worker failed: ${err.message}`));
    worker.on('exit', () => {
      if (this.worker === worker) this.fail('the background-removal worker exited');
    });
    // An idle model thread must not keep a stopping process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(reason: string): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
    for (const [id, entry] of this.waiting) {
      clearTimeout(entry.timer);
      this.waiting.delete(id);
      entry.reject(new SegmentationFailedError(reason));
    }
  }
}

/** Under tsx a worker does not inherit the `--import tsx` loader, so a small boot module registers it first. */
function spawn(): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL('./segmentWorker.js', self));
  const target = new URL('./segmentWorker.ts', self).href;
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(target)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}
