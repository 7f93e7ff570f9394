/**
 * The dial's glide on the server clock (pure, unit-tested against the server's systems/session/momentum.ts).
 *
 * The rule (docs/PROTOCOL.md, "The dial: motion on the server clock"): a swipe's glide is never
 * streamed. The state's `dial` says where it started (`frequency` at server time `movedAt`), where it
 * settles (`predicted`, at `settlesAt`), its launch speed (`|velocity|`, MHz/s) and the braking
 * (`deceleration`, MHz/s²). With d = |predicted − frequency|, v0 = |velocity|, a = deceleration:
 *
 *   t1 = max(0, d/v0 − v0/(2a))                    seconds cruising at v0 (only past the speed cap)
 *   travel(t) = v0·min(t, t1) + v0·τ − a·τ²/2,      τ = clamp(t − t1, 0, v0/a)
 *   frequency(t) = frequency + sign(predicted − frequency) · travel((t − movedAt)/1000)
 *
 * and exactly `predicted` once t ≥ settlesAt or the dial is locked.
 */

/** The dial fields of the session state the formula reads. */
export interface DialView {
  frequency: number;
  predicted: number;
  velocity: number;
  locked: boolean;
  movedAt: number;
  settlesAt: number;
  deceleration: number;
}

/** Where the dial is at server time `serverNowMs` (MHz). */
export function dialFrequencyAt(dial: DialView, serverNowMs: number): number {
  if (dial.locked || serverNowMs >= dial.settlesAt) return dial.predicted;
  const distance = Math.abs(dial.predicted - dial.frequency);
  const v0 = Math.abs(dial.velocity);
  const a = dial.deceleration;
  if (!(v0 > 0) || !(a > 0) || !(distance > 0)) return dial.frequency;
  const t = Math.max(0, serverNowMs - dial.movedAt) / 1000;
  const cruise = Math.max(0, distance / v0 - v0 / (2 * a));
  const tau = Math.min(Math.max(t - cruise, 0), v0 / a);
  const travel = Math.min(distance, v0 * Math.min(t, cruise) + v0 * tau - (a * tau * tau) / 2);
  return dial.frequency + Math.sign(dial.predicted - dial.frequency) * travel;
}
