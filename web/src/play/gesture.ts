/**
 * Drag-flick recognition for the dial (pure: feed it pointer samples, read the outcome).
 *
 * The release velocity is the horizontal speed over the last `windowMs` of the drag, measured up to
 * the release itself, so a drag that stopped before the finger lifted yields ~0 (no swipe), like
 * UIKit's pan gesture velocity. The iOS client does the same with UIPanGestureRecognizer.velocity(in:).
 */
import { MAX_SWIPE_VELOCITY, type SwipeMessage } from './protocol.js';

export interface FlickOptions {
  /** Velocity window before release (ms). Default 100. */
  windowMs?: number;
  /** Below this travel (px) and `tapMaxMs`, the gesture is a tap. Default 8. */
  tapMaxTravel?: number;
  tapMaxMs?: number;
  /** Release speeds under this (px/s) are a drag, not a flick. Default 150. */
  minFlickVelocity?: number;
}

export type FlickOutcome = { kind: 'tap'; x: number; y: number } | { kind: 'swipe'; swipe: SwipeMessage; dx: number } | { kind: 'none' };

interface Sample {
  t: number;
  x: number;
  y: number;
}

/** Shortest time span a velocity is computed over: a burst of events within 1 ms is not infinitely fast. */
const MIN_SPAN_MS = 16;

export class FlickTracker {
  private samples: Sample[] = [];
  private readonly windowMs: number;
  private readonly tapMaxTravel: number;
  private readonly tapMaxMs: number;
  private readonly minFlick: number;

  constructor(options: FlickOptions = {}) {
    this.windowMs = options.windowMs ?? 100;
    this.tapMaxTravel = options.tapMaxTravel ?? 8;
    this.tapMaxMs = options.tapMaxMs ?? 500;
    this.minFlick = options.minFlickVelocity ?? 150;
  }

  get active(): boolean {
    return this.samples.length > 0;
  }

  /** Horizontal travel since the drag started (for live feedback). */
  get dx(): number {
    return this.samples.length ? this.samples[this.samples.length - 1].x - this.samples[0].x : 0;
  }

  start(x: number, y: number, t: number): void {
    this.samples = [{ t, x, y }];
  }

  move(x: number, y: number, t: number): void {
    if (!this.samples.length) return;
    this.samples.push({ t, x, y });
    // Keep the first sample (travel, tap test) and a window's worth of recent ones.
    const cutoff = t - this.windowMs * 2;
    while (this.samples.length > 2 && this.samples[1].t < cutoff) this.samples.splice(1, 1);
  }

  cancel(): void {
    this.samples = [];
  }

  end(x: number, y: number, t: number): FlickOutcome {
    if (!this.samples.length) return { kind: 'none' };
    this.move(x, y, t);
    const first = this.samples[0];
    const travel = Math.hypot(x - first.x, y - first.y);
    const samples = this.samples;
    this.samples = [];
    if (travel < this.tapMaxTravel && t - first.t <= this.tapMaxMs) return { kind: 'tap', x, y };
    const velocity = releaseVelocity(samples, this.windowMs);
    if (Math.abs(velocity) < this.minFlick) return { kind: 'none' };
    return {
      kind: 'swipe',
      dx: x - first.x,
      swipe: { direction: velocity > 0 ? 'right' : 'left', velocity: Math.min(Math.round(Math.abs(velocity)), MAX_SWIPE_VELOCITY) },
    };
  }
}

/** Signed horizontal velocity (px/s) over the samples in the last `windowMs` before the final one. */
export function releaseVelocity(samples: ReadonlyArray<Sample>, windowMs: number): number {
  if (samples.length < 2) return 0;
  const last = samples[samples.length - 1];
  let i = samples.length - 2;
  while (i > 0 && last.t - samples[i - 1].t <= windowMs) i--;
  const from = samples[i];
  return ((last.x - from.x) * 1000) / Math.max(last.t - from.t, MIN_SPAN_MS);
}

/**
 * The frequency under the needle while a drag is in flight. The finger drives the needle: dragging
 * right moves up the band, exactly where the release's `swipe` (right = up) will glide,
 * so the live preview and the glide that follows go the same way (the strip scrolls under the needle).
 */
export function dragPreviewFrequency(frequency: number, dragPx: number, pxPerMhz: number): number {
  return frequency + dragPx / pxPerMhz;
}
