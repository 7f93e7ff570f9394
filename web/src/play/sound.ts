/**
 * Optional sound for /play, muted until the listener turns it on (the choice is kept in localStorage).
 * Each station hums a soft tone of its own (a semitone per MHz above 88.0); tuning crossfades the old tone
 * out and the new one in on one schedule — out over 0.2–0.5 s, in over 0.5–0.8 s, ease in
 * and out — the same `audioCrossfade` the server sends with each orb transition. No AudioContext exists
 * while muted, so a muted page never asks the browser for audio.
 */
const STORAGE_KEY = 'ds.play.sound';
const LEVEL = 0.05;
/** The crossfade schedule, used for dial tuning too (a transition message carries its own copy). */
export const DEFAULT_CROSSFADE = { fadeOutStart: 0.2, fadeOutEnd: 0.5, fadeInStart: 0.5, fadeInEnd: 0.8 };
export type Crossfade = typeof DEFAULT_CROSSFADE;

/** The tone of a station: A2 (110 Hz) at 88.0 MHz, a semitone higher per MHz. */
export const toneOf = (mhz: number): number => 110 * 2 ** ((mhz - 88) / 12);

/** 3u² − 2u³ sampled on [0, 1]: a smooth ease-in-out as a gain curve. */
function easeCurve(from: number, to: number, samples = 32): Float32Array {
  return Float32Array.from({ length: samples }, (_, i) => {
    const u = i / (samples - 1);
    return from + (to - from) * u * u * (3 - 2 * u);
  });
}

interface Voice {
  osc: OscillatorNode;
  gain: GainNode;
}

export class StationSound {
  private ctx: AudioContext | null = null;
  private voice: Voice | null = null;
  private station: number | null = null;
  on: boolean;

  constructor(private readonly button: HTMLButtonElement) {
    this.on = localStorage.getItem(STORAGE_KEY) === 'on';
    this.paint();
    button.addEventListener('click', () => this.toggle());
  }

  toggle(): void {
    this.on = !this.on;
    localStorage.setItem(STORAGE_KEY, this.on ? 'on' : 'off');
    if (this.on) {
      this.ensureContext();
      if (this.station !== null) this.tune(this.station, { ...DEFAULT_CROSSFADE, fadeInStart: 0, fadeInEnd: 0.3 });
    } else this.fadeOutAll();
    this.paint();
  }

  /** The dial settled on (or flew to) a station: crossfade to its tone when sound is on. */
  tune(mhz: number, crossfade: Crossfade = DEFAULT_CROSSFADE): void {
    const changed = this.station !== mhz;
    this.station = mhz;
    if (!this.on || (!changed && this.voice)) return;
    const ctx = this.ensureContext();
    const now = ctx.currentTime;
    if (this.voice) this.fade(this.voice, 0, now + crossfade.fadeOutStart, crossfade.fadeOutEnd - crossfade.fadeOutStart, true);
    const osc = ctx.createOscillator();
    osc.type = 'sine';
    osc.frequency.value = toneOf(mhz);
    const gain = ctx.createGain();
    gain.gain.value = 0;
    osc.connect(gain).connect(ctx.destination);
    osc.start(now);
    this.voice = { osc, gain };
    this.fade(this.voice, LEVEL, now + crossfade.fadeInStart, crossfade.fadeInEnd - crossfade.fadeInStart, false);
  }

  /**
   * Fades a voice from the level it has now to `to`. A voice may still have a fade scheduled (muted or
   * tuned again before its fade-in ended): overlapping value curves throw, so the new fade replaces what
   * was scheduled, holding the voice's level until it starts.
   */
  private fade(voice: Voice, to: number, at: number, seconds: number, stop: boolean): void {
    const param = voice.gain.gain;
    const now = voice.gain.context.currentTime;
    const from = param.value;
    param.cancelScheduledValues(now);
    param.setValueAtTime(from, now);
    const start = Math.max(at, now + 0.005);
    param.setValueCurveAtTime(easeCurve(from, to), start, Math.max(0.01, seconds));
    if (stop) voice.osc.stop(start + seconds + 0.05);
  }

  private fadeOutAll(): void {
    if (this.ctx && this.voice) this.fade(this.voice, 0, this.ctx.currentTime, 0.2, true);
    this.voice = null;
  }

  /** Created on the listener's click (browsers start audio only after a gesture). */
  private ensureContext(): AudioContext {
    this.ctx ??= new AudioContext();
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    document.body.dataset.audio = 'created';
    return this.ctx;
  }

  private paint(): void {
    this.button.setAttribute('aria-pressed', String(this.on));
    // Text, not emoji: a device without an emoji font would draw an empty box.
    this.button.textContent = this.on ? '♪ on' : '♪ off';
    this.button.title = this.on ? 'Sound on: each station hums; tap to mute' : 'Sound off: tap for a tone per station';
    document.body.dataset.sound = this.on ? 'on' : 'off';
  }
}
