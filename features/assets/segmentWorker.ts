/**
 * The background-removal model's thread: reads the TFLite model once, then answers each
 * `{ id, input }` (a [1,256,256,3] float32 image in 0..1) with `{ id, mask }` (the person probability per
 * pixel), or `{ id, error }`. Inference is a fraction of a second of pure computation: here it never
 * holds the server's event loop. Started by {@link Segmenter}.
 */
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { readTfliteModel } from '../../systems/assets/tfliteModel.js';
import { runGraph } from '../../systems/assets/tfliteKernels.js';

export interface SegmentRequest {
  id: number;
  input: Float32Array;
}
export type SegmentReply = { id: number; mask: Float32Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('segmentWorker runs as a worker thread');
const graph = readTfliteModel(fs.readFileSync((workerData as { modelPath: string }).modelPath));

port.on('message', ({ id, input }: SegmentRequest) => {
  try {
    const { data } = runGraph(graph, input);
    port.postMessage({ id, mask: data } satisfies SegmentReply, [data.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message } satisfies SegmentReply);
  }
});
