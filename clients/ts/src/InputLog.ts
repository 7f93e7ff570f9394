/**
 * Sequence numbers for a session's inputs and what is needed to resend them after a move or a crash.
 * Every input the client sends gets the next `seq` (1, 2, 3, … strictly increasing per session, continued
 * across moves, resumes and page reloads); the last `keepSent` sent inputs are kept, and after `resumed`
 * those above its `appliedSeq` go out again, in order (the server answers `duplicate` for any it had
 * already applied). Pure: no clock, no socket.
 */
export interface SequencedInput {
  type: string;
  /** The payload as sent, `seq` included. */
  payload: Record<string, unknown>;
  seq: number;
}

export interface InputLogOptions {
  /** The seq the next input gets (a reload continues from the stored one). Default 1. */
  nextSeq?: number;
  /** Sent inputs kept for a resend. Default 64. */
  keepSent?: number;
}

export interface Replay {
  /** Inputs to send again, oldest first. */
  resend: SequencedInput[];
  /** Inputs above appliedSeq that were no longer kept (more were in flight than `keepSent`): lost. */
  lost: number;
}

export class InputLog {
  private next: number;
  private readonly keep: number;
  private sent: SequencedInput[] = [];

  constructor(options: InputLogOptions = {}) {
    this.next = Math.max(1, Math.floor(options.nextSeq ?? 1));
    this.keep = options.keepSent ?? 64;
  }

  /** The seq the next input will get. */
  get nextSeq(): number {
    return this.next;
  }

  /** Inputs kept for a resend. */
  get kept(): number {
    return this.sent.length;
  }

  /** Gives an input its seq (the payload is copied, with `seq`). */
  stamp(type: string, payload: unknown): SequencedInput {
    const seq = this.next++;
    const body = payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : {};
    return { type, payload: { ...body, seq }, seq };
  }

  /** Records an input as sent (it may be lost in flight if the connection goes now). */
  sentOne(input: SequencedInput): void {
    this.sent.push(input);
    if (this.sent.length > this.keep) this.sent.shift();
  }

  /** The server applied everything up to `appliedSeq` (e.g. the `moving` notice): those need no resend. */
  acknowledge(appliedSeq: number): void {
    this.sent = this.sent.filter((i) => i.seq > appliedSeq);
    this.next = Math.max(this.next, appliedSeq + 1);
  }

  /**
   * After `resumed`: the kept inputs above `appliedSeq`, to send again in order (they leave the log and are
   * recorded again when sent). `null` (the server does not know what it applied): nothing already sent is resent.
   */
  replayAfter(appliedSeq: number | null): Replay {
    if (appliedSeq === null) {
      this.sent = [];
      return { resend: [], lost: 0 };
    }
    const resend = this.sent.filter((i) => i.seq > appliedSeq);
    const oldest = resend[0]?.seq ?? this.next;
    // Seqs between appliedSeq and the oldest kept one were sent but are no longer kept.
    const lost = Math.max(0, Math.min(oldest, this.next) - appliedSeq - 1);
    this.sent = [];
    // Never number below what the server applied (a seq it has seen would be answered `duplicate`).
    this.next = Math.max(this.next, appliedSeq + 1);
    return { resend, lost };
  }

  /** A fresh session: what the old one did not apply is not sent to the new one. The numbering goes on. */
  forgetSent(): void {
    this.sent = [];
  }
}
