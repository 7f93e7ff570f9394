import { ResumeError } from './ResumeCredentials.js';

export interface ResumeAdmissionOptions {
  /** Resumes restored at once (each reads its snapshot, the session row and the constellation). */
  concurrency: number;
  /** Resumes that may wait for a slot; past it a resume is refused RESUME_BUSY with a retry delay. */
  maxQueued: number;
  /** What a refused resume is told to wait, per resume already waiting (so the delay grows with the backlog). */
  retryPerQueuedMs: number;
}

/**
 * A bounded queue in front of the restores a process takes over, so a deploy's resumes do not become a join storm;
 * past the bound the client is told when to come back.
 */
export class ResumeAdmission {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private admittedTotal = 0;
  private refusedTotal = 0;

  constructor(private readonly options: ResumeAdmissionOptions) {}

  /** Waits for a slot and returns its release; throws RESUME_BUSY when the queue is full. */
  async enter(): Promise<() => void> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxQueued) {
        this.refusedTotal++;
        const retryAfterMs = Math.max(250, Math.round((this.waiting.length / this.options.concurrency) * this.options.retryPerQueuedMs));
        const why = `RESUME_BUSY: this process is restoring ${this.running + this.waiting.length} sessions; retry the resume shortly`;
        throw new ResumeError('RESUME_BUSY', why, retryAfterMs);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    this.admittedTotal++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift(); // the slot passes to the next waiting resume
      if (next) next();
      else this.running--;
    };
  }

  stats(): { running: number; waiting: number; admitted: number; refused: number } {
    return { running: this.running, waiting: this.waiting.length, admitted: this.admittedTotal, refused: this.refusedTotal };
  }
}
