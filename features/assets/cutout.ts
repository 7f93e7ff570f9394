/**
 * Background removal and edge refinement with sharp: the model's 256 px mask is scaled, hardened and feathered into
 * alpha, and dark scenes get a rim light. Pixel work is libvips's own threads; the model runs in the {@link Segmenter}'s worker.
 */
import sharp, { type Sharp } from 'sharp';
import {
  EDGE_SMOOTHING,
  RIM_LIGHT,
  edgeSigma,
  foregroundShare,
  groundedShare,
  hardenLinear,
  maskBytes,
  maskConfidence,
  modelInput,
  rimShift,
  rimWidth,
} from '../../systems/assets/cutout.js';
import { SEGMENT_INPUT_SIDE, type Segmenter } from './Segmenter.js';

export interface Cutout {
  /** RGBA PNG at the image's size (orientation applied). */
  png: Buffer;
  /** The model's certainty, 0..1 (see maskConfidence). */
  confidence: number;
  /** Share of the image that is subject, 0..1. */
  foreground: number;
  /** Share of the subject joined to the frame's bottom edge, 0..1 (see groundedShare). */
  grounded: number;
}

type Raw = { data: Buffer; width: number; height: number };

const raw1 = (width: number, height: number) => ({ raw: { width, height, channels: 1 as const } });

/** The single band out: sharp otherwise hands grey images back as sRGB (3 bands). */
const band = (image: Sharp): Promise<Buffer> => image.extractChannel(0).raw().toBuffer();

/** The 8-bit mask scaled to the image, its p = 0.5 edge hardened, then blurred by radius and feather. */
export async function featheredAlpha(mask: Uint8Array, maskSide: number, width: number, height: number, edge = EDGE_SMOOTHING): Promise<Buffer> {
  const { a, b } = hardenLinear();
  const scaled = await band(sharp(mask, raw1(maskSide, maskSide)).resize(width, height, { fit: 'fill', kernel: 'cubic' }));
  const hard = await band(sharp(scaled, raw1(width, height)).linear(a, b));
  // Float precision: libvips's default integer kernel at σ ≈ 1.12 sums short, so the whole subject came out at alpha 251, not 255.
  return band(sharp(hard, raw1(width, height)).blur({ sigma: edgeSigma(edge), precision: 'float' }));
}

/** rim = alpha(p) × (1 − alpha(p + w·towards the light)), softened, laid in `color` "atop" the subject (alpha unchanged). */
export async function withRimLight(rgba: Raw, alpha: Buffer, rim = RIM_LIGHT): Promise<Buffer> {
  const { width, height } = rgba;
  const w = rimWidth(width, height);
  const { dx, dy } = rimShift(rim.angleDeg, w);
  // Two pipelines: within one, sharp extracts before it extends whatever the call order.
  const padded = await band(
    sharp(alpha, raw1(width, height)).extend({
      top: Math.max(dy, 0),
      bottom: Math.max(-dy, 0),
      left: Math.max(dx, 0),
      right: Math.max(-dx, 0),
      background: { r: 0, g: 0, b: 0, alpha: 1 },
    }),
  );
  const moved = await band(
    sharp(padded, raw1(width + Math.abs(dx), height + Math.abs(dy)))
      .extract({ left: Math.max(-dx, 0), top: Math.max(-dy, 0), width, height })
      .negate(),
  );
  // A grey+alpha image flattened onto black is grey × alpha / 255: alpha(p) × (255 − moved(p)) / 255.
  const product = await band(sharp(Buffer.from(interleave(alpha, moved)), { raw: { width, height, channels: 2 } }).flatten({ background: '#000000' }));
  const glow = await band(
    sharp(product, raw1(width, height))
      .blur(Math.max(0.3, w / 3))
      .linear(rim.intensity, 0),
  );
  const layer = await sharp({ create: { width, height, channels: 3, background: rim.color } })
    .joinChannel(glow, raw1(width, height))
    .png()
    .toBuffer();
  return sharp(rgba.data, { raw: { width, height, channels: 4 } })
    .composite([{ input: layer, blend: 'atop' }])
    .png()
    .toBuffer();
}

function interleave(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    out[2 * i] = a[i];
    out[2 * i + 1] = b[i];
  }
  return out;
}

/** The whole deep etch of one image (already checked to decode within the pixel bound). */
export async function cutOut(image: Buffer, segmenter: Segmenter, options: { limitInputPixels: number; rimLight: boolean }): Promise<Cutout> {
  const { data: rgb, info } = await sharp(image, { limitInputPixels: options.limitInputPixels })
    .rotate()
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const small = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .resize(SEGMENT_INPUT_SIDE, SEGMENT_INPUT_SIDE, { fit: 'fill' })
    .raw()
    .toBuffer();
  const mask = await segmenter.segment(modelInput(small));
  const alpha = await featheredAlpha(maskBytes(mask), SEGMENT_INPUT_SIDE, width, height);
  const rgba = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .joinChannel(alpha, raw1(width, height))
    .raw()
    .toBuffer();
  const png = options.rimLight
    ? await withRimLight({ data: rgba, width, height }, alpha)
    : await sharp(rgba, { raw: { width, height, channels: 4 } })
        .png()
        .toBuffer();
  return { png, confidence: maskConfidence(mask), foreground: foregroundShare(mask), grounded: groundedShare(mask, SEGMENT_INPUT_SIDE) };
}
