/** The last LOG_TAIL_LINES lines of this process, as pino wrote them after redacting secrets. */
export interface LogLine {
  level: number;
  time?: string;
  msg?: string;
  [key: string]: unknown;
}

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export class LogTail {
  private readonly ring: string[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  /** A pino destination: one call per line. */
  write(line: string): void {
    if (this.capacity <= 0) return;
    if (this.ring.length < this.capacity) this.ring.push(line);
    else this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first, at most `limit`, at or above `minLevel` (a pino level name). */
  lines(limit: number, minLevel = 'trace'): LogLine[] {
    const floor = LEVELS[minLevel] ?? LEVELS.trace;
    const ordered = this.ring.length < this.capacity ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const out: LogLine[] = [];
    for (let i = ordered.length - 1; i >= 0 && out.length < limit; i--) {
      try {
        const line = JSON.parse(ordered[i]) as LogLine;
        if (line.level >= floor) out.push(line);
      } catch {
        // not a JSON line: skip
      }
    }
    return out;
  }
}
