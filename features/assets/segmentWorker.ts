/** The segmentation model's thread, so inference (pure computation) never holds the server's event loop. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { readTfliteModel } from '../../systems/assets/tfliteModel.js';
import { runGraph } from '../../systems/assets/tfliteKernels.js';

export interface SegmentRequest {
  id: number;
  input: Float32Array;
}
export type SegmentReply = { id: number; mask: Float32Array } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('segmentWorker runs as a worker thread');
// The model ships inside its npm package (Apache-2.0), so an offline machine has it.
const graph = readTfliteModel(fs.readFileSync(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/selfie_segmentation.tflite')));

port.on('message', ({ id, input }: SegmentRequest) => {
  try {
    const { data } = runGraph(graph, input);
    port.postMessage({ id, mask: data } satisfies SegmentReply, [data.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message } satisfies SegmentReply);
  }
});
