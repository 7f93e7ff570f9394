/**
 * Seed 000 step 10.2 and 10.5, the pure parts: the segmentation model's input from an image's pixels,
 * how sure its mask is (the seed's confidence score: below ASSET_REVIEW_CONFIDENCE an operator reviews
 * the cut-out), the mask as 8-bit alpha, and where the rim light falls. The image operations
 * themselves (resizing, blurring, compositing) are sharp's, in features/assets/cutout.ts.
 */

/** Seed 10.5 edge refinement: anti-aliasing blur radius and feather width, in pixels of the full image. */
export const EDGE_SMOOTHING = Object.freeze({ blurRadius: 0.5, feather: 1.0 });
/** Seed 10.5 rim light on dark scenes: strength, colour and the light's angle (135°: from the top left). */
export const RIM_LIGHT = Object.freeze({ intensity: 0.3, color: '#FFFFFF', angleDeg: 135 });

/**
 * The seed's two edge settings as one Gaussian: blurring by σ₁ then σ₂ is one blur of √(σ₁² + σ₂²),
 * so the 0.5 px anti-aliasing and the 1 px feather make σ ≈ 1.12 px.
 */
export const edgeSigma = (edge: { blurRadius: number; feather: number } = EDGE_SMOOTHING): number => Math.hypot(edge.blurRadius, edge.feather);

/** RGB bytes (interleaved, 3 per pixel) → the model's float input in 0..1. */
export function modelInput(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 255;
  return out;
}

/**
 * How sure the model is, 0..1: the mean of |2p − 1| over the mask (1 when every pixel is surely person
 * or surely background; 0 when every pixel is a coin toss). A portrait on a plain background scores
 * above 0.9; a picture with no person in it, or a busy one, lower.
 */
export function maskConfidence(mask: Float32Array): number {
  if (mask.length === 0) return 0;
  let sum = 0;
  for (const p of mask) sum += Math.abs(2 * Math.min(Math.max(p, 0), 1) - 1);
  return sum / mask.length;
}

/** Share of the mask that is person (p ≥ 0.5), 0..1: an empty cut-out is sent to review whatever its confidence. */
export function foregroundShare(mask: Float32Array): number {
  let n = 0;
  for (const p of mask) if (p >= 0.5) n++;
  return mask.length ? n / mask.length : 0;
}

/** Probabilities → 8-bit alpha. */
export function maskBytes(mask: Float32Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = Math.round(Math.min(Math.max(mask[i], 0), 1) * 255);
  return out;
}

/**
 * The mask is 256 px upscaled smoothly to the image, so its edge is a ramp several pixels wide: this
 * linear map (x − 127.5)·k + 127.5 (clamped to 0..255 by the image's 8 bits) makes the p = 0.5 contour
 * sharp before the feather blur gives it a controlled width.
 */
export const HARDEN_GAIN = 4;
export const hardenLinear = (): { a: number; b: number } => ({ a: HARDEN_GAIN, b: 127.5 * (1 - HARDEN_GAIN) });

/**
 * Where the subject's lit edge is: a pixel is rim when it is subject and its neighbour `width` pixels
 * towards the light is background. Returns how far to move the alpha image (whole pixels, x right and
 * y down) so that pixel p of the moved image holds the alpha of p's neighbour towards the light.
 */
export function rimShift(angleDeg: number, width: number): { dx: number; dy: number } {
  const rad = (angleDeg * Math.PI) / 180;
  // Towards the light in image coordinates (y grows downwards); the image moves the opposite way.
  const lx = Math.cos(rad);
  const ly = -Math.sin(rad);
  return { dx: Math.round(-lx * width) || 0, dy: Math.round(-ly * width) || 0 };
}

/** The rim's width: 1 % of the shorter side, at least 2 px (a thin highlight at any size). */
export const rimWidth = (width: number, height: number): number => Math.max(2, Math.round(Math.min(width, height) * 0.01));

/** Largest scene light intensity that counts as a dark scene (seed 10.5 `scene_type == "dark"`). */
export const DARK_SCENE_MAX_INTENSITY = 0.7;

/**
 * Seed 10.5 lights the rim on dark scenes only. Our scenes carry a light intensity (0..1) rather than a
 * "dark" type: a scene is dark when its intensity is at most {@link DARK_SCENE_MAX_INTENSITY} (the jazz
 * club, studio, cathedral and original Shrine looks).
 */
export function isDarkScene(lighting: unknown): boolean {
  const intensity = (lighting as { intensity?: unknown } | null)?.intensity;
  return typeof intensity === 'number' && intensity <= DARK_SCENE_MAX_INTENSITY;
}
