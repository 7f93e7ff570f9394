/**
 * A TFLite flatbuffer read into a graph. Only the segmentation model's operators are understood; anything else is
 * refused at load by name, never run wrong. float16 constants behind DEQUANTIZE are widened once here.
 */

export type OpKind =
  'ADD' | 'AVERAGE_POOL_2D' | 'CONV_2D' | 'DEPTHWISE_CONV_2D' | 'LOGISTIC' | 'MUL' | 'RELU' | 'RESIZE_BILINEAR' | 'HARD_SWISH' | 'TRANSPOSE_CONV_BIAS';

/** schema.fbs BuiltinOperator codes (DEQUANTIZE is folded away at load). */
const BUILTIN: Record<number, OpKind | 'DEQUANTIZE'> = {
  0: 'ADD',
  1: 'AVERAGE_POOL_2D',
  3: 'CONV_2D',
  4: 'DEPTHWISE_CONV_2D',
  6: 'DEQUANTIZE',
  14: 'LOGISTIC',
  18: 'MUL',
  19: 'RELU',
  23: 'RESIZE_BILINEAR',
  117: 'HARD_SWISH',
};
const CUSTOM_CODE = 32;
const CUSTOM_OPS: Record<string, OpKind> = { Convolution2DTransposeBias: 'TRANSPOSE_CONV_BIAS' };

/** schema.fbs TensorType. */
const FLOAT32 = 0;
const FLOAT16 = 1;
const INT32 = 2;

export type Padding = 'SAME' | 'VALID';
export type Activation = 'NONE' | 'RELU' | 'RELU6';

export interface Operator {
  kind: OpKind;
  inputs: number[];
  outputs: number[];
  options: OpOptions;
}

export class UnsupportedModelError extends Error {}

/** A table's field `i`'s absolute offset (0: absent). */
function tableAt(view: DataView, pos: number) {
  const vtable = pos - view.getInt32(pos, true);
  const vtableLength = view.getUint16(vtable, true);
  return {
    field(i: number): number {
      const slot = 4 + 2 * i;
      const rel = slot < vtableLength ? view.getUint16(vtable + slot, true) : 0;
      return rel ? pos + rel : 0;
    },
  };
}
type Table = ReturnType<typeof tableAt>;

class Reader {
  readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    if (bytes.byteLength < 8) throw new UnsupportedModelError('the model file is too short to be a TFLite flatbuffer');
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  table(pos: number): Table {
    if (pos <= 0 || pos + 4 > this.bytes.byteLength) throw new UnsupportedModelError('the model file has a table outside its bytes');
    return tableAt(this.view, pos);
  }
  deref(at: number): number {
    return at + this.view.getUint32(at, true);
  }
  vector(at: number): { length: number; start: number } {
    if (!at) return { length: 0, start: 0 };
    const v = this.deref(at);
    return { length: this.view.getUint32(v, true), start: v + 4 };
  }
  tables(at: number): Table[] {
    const { length, start } = this.vector(at);
    return Array.from({ length }, (_, i) => this.table(this.deref(start + 4 * i)));
  }
  ints(at: number): number[] {
    const { length, start } = this.vector(at);
    return Array.from({ length }, (_, i) => this.view.getInt32(start + 4 * i, true));
  }
  string(at: number): string | null {
    if (!at) return null;
    const { length, start } = this.vector(at);
    return new TextDecoder().decode(this.bytes.subarray(start, start + length));
  }
  int(at: number, fallback: number): number {
    return at ? this.view.getInt32(at, true) : fallback;
  }
  byte(at: number, fallback: number): number {
    return at ? this.view.getInt8(at) : fallback;
  }
}

const ACTIVATIONS: Record<number, Activation> = { 0: 'NONE', 1: 'RELU', 3: 'RELU6' };

const DEFAULT_OPTIONS = {
  padding: 'SAME' as Padding,
  strideW: 1,
  strideH: 1,
  activation: 'NONE' as Activation,
  filterW: 1,
  filterH: 1,
  depthMultiplier: 1,
  alignCorners: false,
  halfPixelCenters: false,
};
export type OpOptions = typeof DEFAULT_OPTIONS;

function activation(code: number): Activation {
  const a = ACTIVATIONS[code];
  if (!a) throw new UnsupportedModelError(`fused activation ${code} is not supported`);
  return a;
}

/** Per schema.fbs field order. */
function builtinOptions(r: Reader, kind: OpKind, at: number): OpOptions {
  if (!at) return DEFAULT_OPTIONS;
  const t = r.table(r.deref(at));
  const strided = (): OpOptions => ({
    ...DEFAULT_OPTIONS,
    padding: r.byte(t.field(0), 0) === 1 ? 'VALID' : 'SAME',
    strideW: r.int(t.field(1), 1),
    strideH: r.int(t.field(2), 1),
  });
  switch (kind) {
    case 'CONV_2D':
      return { ...strided(), activation: activation(r.byte(t.field(3), 0)) };
    case 'DEPTHWISE_CONV_2D':
      return { ...strided(), depthMultiplier: r.int(t.field(3), 1), activation: activation(r.byte(t.field(4), 0)) };
    case 'AVERAGE_POOL_2D':
      return { ...strided(), filterW: r.int(t.field(3), 1), filterH: r.int(t.field(4), 1), activation: activation(r.byte(t.field(5), 0)) };
    case 'ADD':
    case 'MUL':
      return { ...DEFAULT_OPTIONS, activation: activation(r.byte(t.field(0), 0)) };
    case 'RESIZE_BILINEAR':
      return { ...DEFAULT_OPTIONS, alignCorners: r.byte(t.field(2), 0) === 1, halfPixelCenters: r.byte(t.field(3), 0) === 1 };
    default:
      return DEFAULT_OPTIONS;
  }
}

/** A raw TfLiteTransposeConvParams: padding (1 SAME, 2 VALID), stride w, stride h. */
function customOptions(r: Reader, at: number): OpOptions {
  const { length, start } = r.vector(at);
  if (length < 12) throw new UnsupportedModelError('Convolution2DTransposeBias has no parameters');
  const padding = r.view.getInt32(start, true);
  return {
    ...DEFAULT_OPTIONS,
    padding: padding === 2 ? 'VALID' : 'SAME',
    strideW: r.view.getInt32(start + 4, true),
    strideH: r.view.getInt32(start + 8, true),
  };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** null for activations computed at run time. */
function constantData(r: Reader, buffers: Table[], tensor: Table, type: number, count: number): Float32Array | Int32Array | null {
  const index = r.int(tensor.field(2), 0);
  const buffer = buffers[index];
  if (!index || !buffer) return null;
  const { length, start } = r.vector(buffer.field(0));
  if (length === 0) return null;
  const at = r.bytes.byteOffset + start;
  const copy = (bytesPer: number) => {
    if (length !== count * bytesPer) throw new UnsupportedModelError(`a constant holds ${length} bytes for ${count} values`);
    return r.bytes.buffer.slice(at, at + length);
  };
  if (type === FLOAT32) return new Float32Array(copy(4));
  if (type === INT32) return new Int32Array(copy(4));
  if (type === FLOAT16) {
    const halves = new Uint16Array(copy(2));
    return Float32Array.from(halves, halfToFloat);
  }
  throw new UnsupportedModelError(`tensor type ${type} is not supported (float32, float16 and int32 are)`);
}

/** The first subgraph; throws {@link UnsupportedModelError} for anything it cannot run. */
export function readTfliteModel(bytes: Uint8Array) {
  const r = new Reader(bytes);
  const model = r.table(r.deref(0));
  const codes = r.tables(model.field(1)).map((c) => {
    const builtin = Math.max(r.byte(c.field(0), 0), r.int(c.field(3), 0));
    return { builtin, custom: r.string(c.field(1)) };
  });
  const [graph] = r.tables(model.field(2));
  if (!graph) throw new UnsupportedModelError('the model has no subgraph');
  const buffers = r.tables(model.field(4));
  const tensors = r.tables(graph.field(0)).map((t) => {
    const shape = r.ints(t.field(0));
    const type = r.byte(t.field(1), FLOAT32);
    const size = shape.reduce((a, b) => a * b, 1);
    return { shape, data: constantData(r, buffers, t, type, size) };
  });
  const operators: Operator[] = [];
  for (const op of r.tables(graph.field(3))) {
    const code = codes[r.int(op.field(0), 0)];
    if (!code) throw new UnsupportedModelError('an operator names an operator code the model does not have');
    const inputs = r.ints(op.field(1));
    const outputs = r.ints(op.field(2));
    const kind = code.builtin === CUSTOM_CODE ? CUSTOM_OPS[code.custom ?? ''] : BUILTIN[code.builtin];
    if (!kind) throw new UnsupportedModelError(`operator ${code.custom ?? `builtin #${code.builtin}`} is not supported`);
    if (kind === 'DEQUANTIZE') {
      // Folded: the output tensor takes the widened constant.
      const source = tensors[inputs[0]];
      if (!source?.data) throw new UnsupportedModelError('DEQUANTIZE of a non-constant tensor is not supported');
      tensors[outputs[0]].data = source.data;
      continue;
    }
    const options = kind === 'TRANSPOSE_CONV_BIAS' ? customOptions(r, op.field(5)) : builtinOptions(r, kind, op.field(4));
    operators.push({ kind, inputs, outputs, options });
  }
  return { tensors, operators, inputs: r.ints(graph.field(1)), outputs: r.ints(graph.field(2)) };
}
export type TfliteGraph = ReturnType<typeof readTfliteModel>;
