/**
 * float32 kernels with TFLite's semantics (NHWC, batch 1; SAME padding puts the odd pixel after; CONV_2D weights
 * OHWI, depthwise 1HW(C·M)). Plain loops: ~250 small operators take a fraction of a second, in a worker thread.
 */
import type { Activation, Operator, OpOptions, Padding, TfliteGraph } from './tfliteModel.js';

export interface Tensor {
  /** [1, height, width, channels] (a 1-D constant keeps its own shape). */
  shape: number[];
  data: Float32Array;
}

const dims = (t: Tensor): [number, number, number] => {
  if (t.shape.length !== 4 || t.shape[0] !== 1) throw new RangeError(`expected a [1,H,W,C] tensor, got [${t.shape.join(',')}]`);
  return [t.shape[1], t.shape[2], t.shape[3]];
};

/** Output size and the padding before the first pixel, as TFLite computes them. */
function window(inSize: number, kernel: number, stride: number, padding: Padding): { out: number; before: number } {
  if (padding === 'VALID') return { out: Math.floor((inSize - kernel) / stride) + 1, before: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + kernel - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

function activate(data: Float32Array, activation: Activation): void {
  if (activation === 'NONE') return;
  const cap = activation === 'RELU6' ? 6 : Infinity;
  for (let i = 0; i < data.length; i++) data[i] = Math.min(Math.max(data[i], 0), cap);
}

/**
 * Slides a kh×kw window over the input: each output pixel starts at the bias (or 0), `tap` adds each in-bounds input
 * pixel (`xi` its offset) at kernel position (ky, kx), then `finish` sees how many were in bounds.
 */
function slide(
  input: Tensor,
  [kh, kw, outC]: [number, number, number],
  o: OpOptions,
  bias: Tensor | null,
  tap: (out: Float32Array, base: number, xi: number, ky: number, kx: number) => void,
  finish?: (out: Float32Array, base: number, taps: number) => void,
): Tensor {
  const [h, w, c] = dims(input);
  const rows = window(h, kh, o.strideH, o.padding);
  const cols = window(w, kw, o.strideW, o.padding);
  const out = new Float32Array(rows.out * cols.out * outC);
  for (let oy = 0; oy < rows.out; oy++) {
    for (let ox = 0; ox < cols.out; ox++) {
      const base = (oy * cols.out + ox) * outC;
      if (bias) for (let oc = 0; oc < outC; oc++) out[base + oc] = bias.data[oc];
      let taps = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * o.strideH + ky - rows.before;
        if (iy < 0 || iy >= h) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * o.strideW + kx - cols.before;
          if (ix < 0 || ix >= w) continue;
          taps++;
          tap(out, base, (iy * w + ix) * c, ky, kx);
        }
      }
      finish?.(out, base, taps);
    }
  }
  activate(out, o.activation);
  return { shape: [1, rows.out, cols.out, outC], data: out };
}

/** Σ x[xi + i] · k[ki + i] for i < n, in that order. */
function dot(x: Float32Array, xi: number, k: Float32Array, ki: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[xi + i] * k[ki + i];
  return sum;
}

export function conv2d(input: Tensor, weights: Tensor, bias: Tensor | null, o: OpOptions): Tensor {
  const c = dims(input)[2];
  const [outC, kh, kw, inC] = weights.shape;
  if (inC !== c) throw new RangeError(`CONV_2D weights take ${inC} channels, the input has ${c}`);
  const x = input.data;
  const k = weights.data;
  return slide(input, [kh, kw, outC], o, bias, (out, base, xi, ky, kx) => {
    for (let oc = 0; oc < outC; oc++) out[base + oc] += dot(x, xi, k, ((oc * kh + ky) * kw + kx) * inC, c);
  });
}

export function depthwiseConv2d(input: Tensor, weights: Tensor, bias: Tensor | null, o: OpOptions): Tensor {
  const c = dims(input)[2];
  const [, kh, kw, outC] = weights.shape;
  const m = o.depthMultiplier;
  if (outC !== c * m) throw new RangeError(`DEPTHWISE_CONV_2D weights give ${outC} channels for ${c}×${m}`);
  const x = input.data;
  const k = weights.data;
  return slide(input, [kh, kw, outC], o, bias, (out, base, xi, ky, kx) => {
    const ki = (ky * kw + kx) * outC;
    for (let oc = 0; oc < outC; oc++) out[base + oc] += x[xi + Math.floor(oc / m)] * k[ki + oc];
  });
}

/** MediaPipe's Convolution2DTransposeBias: each input pixel spreads kernel × weights onto the output, plus the bias. */
export function transposeConvBias(input: Tensor, weights: Tensor, bias: Tensor, outShape: number[], o: OpOptions): Tensor {
  const [h, w, c] = dims(input);
  const [outC, kh, kw, inC] = weights.shape;
  if (inC !== c) throw new RangeError(`transpose convolution weights take ${inC} channels, the input has ${c}`);
  const outH = outShape[1];
  const outW = outShape[2];
  // TFLite's transpose rule: the forward convolution's padding.
  const padTop = o.padding === 'VALID' ? 0 : Math.floor(Math.max((h - 1) * o.strideH + kh - outH, 0) / 2);
  const padLeft = o.padding === 'VALID' ? 0 : Math.floor(Math.max((w - 1) * o.strideW + kw - outW, 0) / 2);
  const out = new Float32Array(outH * outW * outC);
  for (let i = 0; i < outH * outW; i++) for (let oc = 0; oc < outC; oc++) out[i * outC + oc] = bias.data[oc];
  const x = input.data;
  const k = weights.data;
  for (let iy = 0; iy < h; iy++) {
    for (let ix = 0; ix < w; ix++) {
      const xi = (iy * w + ix) * c;
      for (let ky = 0; ky < kh; ky++) {
        const oy = iy * o.strideH + ky - padTop;
        if (oy < 0 || oy >= outH) continue;
        for (let kx = 0; kx < kw; kx++) {
          const ox = ix * o.strideW + kx - padLeft;
          if (ox < 0 || ox >= outW) continue;
          for (let oc = 0; oc < outC; oc++) out[(oy * outW + ox) * outC + oc] += dot(x, xi, k, ((oc * kh + ky) * kw + kx) * inC, c);
        }
      }
    }
  }
  return { shape: [1, outH, outW, outC], data: out };
}

export function averagePool(input: Tensor, o: OpOptions): Tensor {
  const c = dims(input)[2];
  const x = input.data;
  return slide(
    input,
    [o.filterH, o.filterW, c],
    o,
    null,
    (out, base, xi) => {
      for (let ch = 0; ch < c; ch++) out[base + ch] += x[xi + ch];
    },
    (out, base, taps) => {
      for (let ch = 0; ch < c; ch++) out[base + ch] /= taps;
    },
  );
}

export function resizeBilinear(input: Tensor, outH: number, outW: number, o: OpOptions): Tensor {
  const [h, w, c] = dims(input);
  const out = new Float32Array(outH * outW * c);
  const scale = (inSize: number, outSize: number) => (o.alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize);
  const sy = scale(h, outH);
  const sx = scale(w, outW);
  const offset = o.halfPixelCenters ? 0.5 : 0;
  for (let y = 0; y < outH; y++) {
    const fy = Math.max((y + offset) * sy - offset, 0);
    const y0 = Math.min(Math.floor(fy), h - 1);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - Math.floor(fy);
    for (let x = 0; x < outW; x++) {
      const fx = Math.max((x + offset) * sx - offset, 0);
      const x0 = Math.min(Math.floor(fx), w - 1);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - Math.floor(fx);
      for (let ch = 0; ch < c; ch++) {
        const top = input.data[(y0 * w + x0) * c + ch] * (1 - dx) + input.data[(y0 * w + x1) * c + ch] * dx;
        const bottom = input.data[(y1 * w + x0) * c + ch] * (1 - dx) + input.data[(y1 * w + x1) * c + ch] * dx;
        out[(y * outW + x) * c + ch] = top * (1 - dy) + bottom * dy;
      }
    }
  }
  return { shape: [1, outH, outW, c], data: out };
}

/** Broadcasts a [1,1,1,C] operand over [1,H,W,C]. */
export function elementwise(a: Tensor, b: Tensor, op: 'ADD' | 'MUL', activation: Activation): Tensor {
  const big = a.data.length >= b.data.length ? a : b;
  const small = big === a ? b : a;
  const out = new Float32Array(big.data.length);
  const n = small.data.length;
  if (big.data.length % n !== 0) throw new RangeError(`cannot broadcast [${small.shape.join(',')}] over [${big.shape.join(',')}]`);
  for (let i = 0; i < out.length; i++) out[i] = op === 'ADD' ? big.data[i] + small.data[i % n] : big.data[i] * small.data[i % n];
  activate(out, activation);
  return { shape: big.shape, data: out };
}

const UNARY = {
  HARD_SWISH: (v: number): number => (v * Math.min(Math.max(v + 3, 0), 6)) / 6,
  LOGISTIC: (v: number): number => 1 / (1 + Math.exp(-v)),
  RELU: (v: number): number => Math.max(v, 0),
};

/** Returns the first output. */
export function runGraph(graph: TfliteGraph, input: Float32Array): Tensor {
  const values = new Map<number, Tensor>();
  const get = (i: number): Tensor => {
    const v = values.get(i);
    if (v) return v;
    const spec = graph.tensors[i];
    if (!spec?.data || !(spec.data instanceof Float32Array)) throw new RangeError(`tensor ${i} has no value yet`);
    return { shape: spec.shape, data: spec.data };
  };
  const inputShape = graph.tensors[graph.inputs[0]].shape;
  if (input.length !== inputShape.reduce((a, b) => a * b, 1)) throw new RangeError(`the input needs ${inputShape.join('×')} values, got ${input.length}`);
  values.set(graph.inputs[0], { shape: inputShape, data: input });
  for (const op of graph.operators) values.set(op.outputs[0], apply(graph, op, get));
  return get(graph.outputs[0]);
}

function apply(graph: TfliteGraph, op: Operator, get: (i: number) => Tensor): Tensor {
  const [a, b, c] = op.inputs;
  const o = op.options;
  const optional = (i: number | undefined) => (i === undefined || i < 0 ? null : get(i));
  switch (op.kind) {
    case 'CONV_2D':
      return conv2d(get(a), get(b), optional(c), o);
    case 'DEPTHWISE_CONV_2D':
      return depthwiseConv2d(get(a), get(b), optional(c), o);
    case 'TRANSPOSE_CONV_BIAS':
      return transposeConvBias(get(a), get(b), get(c), graph.tensors[op.outputs[0]].shape, o);
    case 'AVERAGE_POOL_2D':
      return averagePool(get(a), o);
    case 'RESIZE_BILINEAR': {
      const size = graph.tensors[b].data;
      if (!(size instanceof Int32Array) || size.length !== 2) throw new RangeError('RESIZE_BILINEAR needs a constant [height, width]');
      return resizeBilinear(get(a), size[0], size[1], o);
    }
    case 'ADD':
    case 'MUL':
      return elementwise(get(a), get(b), op.kind, o.activation);
    case 'HARD_SWISH':
    case 'LOGISTIC':
    case 'RELU': {
      const x = get(a);
      return { shape: x.shape, data: x.data.map(UNARY[op.kind]) };
    }
  }
}
