/**
 * What a client keeps about its session across reloads, in one storage entry (browser: sessionStorage, so
 * each tab has its own session): the resume credential, the session id (for `lastSessionId` when a resume
 * is refused), the next input seq (a reload continues the numbering, or the server would answer
 * `duplicate`), and the SDK's reconnection token (a reload within the server's reconnection window).
 */
export interface TokenStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SessionRecord {
  resume: string | null;
  sessionId: string | null;
  nextSeq: number;
  reconnectionToken: string | null;
}

const EMPTY: SessionRecord = { resume: null, sessionId: null, nextSeq: 1, reconnectionToken: null };

export function memoryStore(): TokenStore {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export class SessionRecordStore {
  private record: SessionRecord;

  constructor(
    private readonly storage: TokenStore,
    private readonly key: string,
  ) {
    this.record = this.read();
  }

  get current(): Readonly<SessionRecord> {
    return this.record;
  }

  update(patch: Partial<SessionRecord>): void {
    this.record = { ...this.record, ...patch };
    try {
      this.storage.setItem(this.key, JSON.stringify(this.record));
    } catch {
      // Storage full or denied (private mode): the session still works, a reload just starts afresh.
    }
  }

  /** The session ended for good: nothing to resume or reconnect to; its id stays for `lastSessionId`. */
  clear(): void {
    this.update({ ...EMPTY, sessionId: this.record.sessionId, nextSeq: this.record.nextSeq });
  }

  private read(): SessionRecord {
    try {
      const saved = JSON.parse(this.storage.getItem(this.key) ?? 'null') as Partial<SessionRecord> | null;
      if (!saved || typeof saved !== 'object') return { ...EMPTY };
      const nextSeq = Number.isSafeInteger(saved.nextSeq) && (saved.nextSeq as number) >= 1 ? (saved.nextSeq as number) : 1;
      return { resume: str(saved.resume), sessionId: str(saved.sessionId), nextSeq, reconnectionToken: str(saved.reconnectionToken) };
    } catch {
      return { ...EMPTY };
    }
  }
}
