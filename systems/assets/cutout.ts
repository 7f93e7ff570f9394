/**
 * Cut-out maths: the segmentation model's input, how sure its mask is (below ASSET_REVIEW_CONFIDENCE an operator
 * reviews it), the mask as alpha, where the rim light falls. The image operations are sharp's, in features/assets.
 */
import { z } from 'zod';

/** Anti-aliasing blur radius and feather width, px of the full image. */
export const EDGE_SMOOTHING = Object.freeze({ blurRadius: 0.5, feather: 1.0 });
/** 135°: light from the top left. */
export const RIM_LIGHT = Object.freeze({ intensity: 0.3, color: '#FFFFFF', angleDeg: 135 });

/** Blurring by σ₁ then σ₂ is one blur of √(σ₁² + σ₂²): 0.5 px anti-aliasing + 1 px feather ≈ σ 1.12 px. */
export const edgeSigma = (edge: { blurRadius: number; feather: number } = EDGE_SMOOTHING): number => Math.hypot(edge.blurRadius, edge.feather);

export function modelInput(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 255;
  return out;
}

/** Mean of |2p − 1| over the mask: 1 when every pixel is sure, 0 when every pixel is a coin toss. */
export function maskConfidence(mask: Float32Array): number {
  if (mask.length === 0) return 0;
  let sum = 0;
  for (const p of mask) sum += Math.abs(2 * Math.min(Math.max(p, 0), 1) - 1);
  return sum / mask.length;
}

/** Share that is person (p ≥ 0.5): an empty cut-out goes to review whatever its confidence. */
export function foregroundShare(mask: Float32Array): number {
  let n = 0;
  for (const p of mask) if (p >= 0.5) n++;
  return mask.length ? n / mask.length : 0;
}

/**
 * Share of the person pixels (p ≥ 0.5) joined to the frame's bottom edge, 0..1: a portrait's shoulders or a figure's
 * feet leave the frame there, a disc or logo floats in it. Below 0.8 an operator reviews, however sure the model was.
 */
export function groundedShare(mask: Float32Array, side: number): number {
  const seen = new Uint8Array(mask.length);
  const stack: number[] = [];
  for (let x = 0; x < side; x++) stack.push((side - 1) * side + x);
  let grounded = 0;
  while (stack.length) {
    const i = stack.pop()!;
    if (seen[i] || mask[i] < 0.5) continue;
    seen[i] = 1;
    grounded++;
    const x = i % side;
    if (x > 0) stack.push(i - 1);
    if (x < side - 1) stack.push(i + 1);
    if (i >= side) stack.push(i - side);
    if (i + side < mask.length) stack.push(i + side);
  }
  const all = foregroundShare(mask) * mask.length;
  return all ? grounded / all : 0;
}

export function maskBytes(mask: Float32Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = Math.round(Math.min(Math.max(mask[i], 0), 1) * 255);
  return out;
}

/**
 * The 256 px mask upscaled has an edge ramp several pixels wide; (x − 127.5)·k + 127.5 makes the p = 0.5 contour
 * sharp before the feather blur gives it a controlled width.
 */
export const HARDEN_GAIN = 4;
export const hardenLinear = (): { a: number; b: number } => ({ a: HARDEN_GAIN, b: 127.5 * (1 - HARDEN_GAIN) });

/**
 * A pixel is rim when it is subject and its neighbour `width` px towards the light is background. Returns the
 * whole-pixel shift that puts p's neighbour's alpha at p.
 */
export function rimShift(angleDeg: number, width: number): { dx: number; dy: number } {
  const rad = (angleDeg * Math.PI) / 180;
  // Image y grows downwards; the image moves away from the light.
  const lx = Math.cos(rad);
  const ly = -Math.sin(rad);
  return { dx: Math.round(-lx * width) || 0, dy: Math.round(-ly * width) || 0 };
}

/** 1 % of the shorter side, at least 2 px. */
export const rimWidth = (width: number, height: number): number => Math.max(2, Math.round(Math.min(width, height) * 0.01));

export const DARK_SCENE_MAX_INTENSITY = 0.7;

/** Rim light on dark scenes only; ours carry a light intensity, not a type (jazz club, studio, cathedral, Shrine are dark). */
export function isDarkScene(lighting: unknown): boolean {
  const intensity = (lighting as { intensity?: unknown } | null)?.intensity;
  return typeof intensity === 'number' && intensity <= DARK_SCENE_MAX_INTENSITY;
}

/** A cut-out in the review queue, as stored and as /ops lists it. */
export const assetReviewSchema = z
  .object({
    id: z.string(),
    artistId: z.string(),
    artistName: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'rejected']),
    confidence: z.number(),
    reason: z.string(),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
    note: z.string().nullable(),
  })
  .meta({ title: 'AssetReview' });
export type AssetReview = z.infer<typeof assetReviewSchema>;
