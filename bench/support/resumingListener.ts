import { Client, type Room } from '@colyseus/sdk';
import { signInNewDevice } from '../../loadtest/auth.js';

/** What a listener saw of its session across a move or a crash. */
export interface ListenerRecord {
  sessionIds: string[];
  /** `resumed.restoredFrom` of each resume. */
  restoredFrom: string[];
  /** Close codes that ended a connection (4100 moving, 1006/4003 a crash…). */
  closes: number[];
  /** ms between the last state patch before a connection ended and the first after the session came back. */
  gapsMs: number[];
  /** ms between the connection ending (the close, or the drop) and the first patch after the session came back. */
  outagesMs: number[];
  duplicates: number;
  closedForGood: boolean;
}

/**
 * A listener as a client app behaves, on the raw SDK: joins through whichever endpoint answers, keeps its
 * resume credential, and when its connection ends (`moving` + 4100, or a crash after the SDK's own
 * reconnection fails) joins again with `{ resume }` through the next endpoint. Used by the handoff tests
 * and the handoff bench to see the server's side; clients/ts SessionClient is the product's version of the same.
 */
export class ResumingListener {
  room!: Room;
  auth!: { accessToken: string; userId: string };
  resume = '';
  seq = 0;
  readonly record: ListenerRecord = { sessionIds: [], restoredFrom: [], closes: [], gapsMs: [], outagesMs: [], duplicates: 0, closedForGood: false };
  private lastPatchAt = 0;
  private droppedAt = 0;
  private endpointIndex = 0;
  private comingBack: Promise<void> | null = null;

  constructor(private readonly endpoints: string[]) {}

  /** Another process the listener may join through (started after it joined). */
  addEndpoint(endpoint: string): void {
    this.endpoints.push(endpoint);
  }

  get sessionId(): string {
    return this.record.sessionIds.at(-1) ?? '';
  }

  async join(): Promise<void> {
    this.auth = await signInNewDevice(this.endpoints[0].replace(/^http/, 'ws'), 'resuming-listener');
    await this.connect({});
  }

  send(type: string, payload: Record<string, unknown>): number {
    const seq = ++this.seq;
    this.room.send(type, { ...payload, seq });
    return seq;
  }

  /** Resolves with the next message of `type` on the current room. */
  next<T = any>(type: string, timeoutMs = 10_000): Promise<T> {
    const room = this.room;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
      const off = room.onMessage(type, (m: T) => {
        clearTimeout(timer);
        off();
        resolve(m);
      });
    });
  }

  /** Resolves once the connection has ended `closes` times and the session is back after it. */
  async back(timeoutMs = 20_000, closes = 1): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.record.closes.length < closes || this.comingBack || this.droppedAt) {
      if (Date.now() > deadline) throw new Error(`session ${this.sessionId} not back within ${timeoutMs} ms (closes ${this.record.closes})`);
      await (this.comingBack ?? new Promise((r) => setTimeout(r, 50)));
    }
  }

  private async connect(options: Record<string, unknown>): Promise<void> {
    let lastErr: unknown;
    for (let attempt = 0; attempt < 40; attempt++) {
      const endpoint = this.endpoints[this.endpointIndex % this.endpoints.length];
      const client = new Client(endpoint);
      client.auth.token = this.auth.accessToken;
      try {
        const room = await client.create('session', options);
        await this.attach(room, options.resume !== undefined);
        return;
      } catch (err) {
        lastErr = err;
        const code = (err as { code?: number }).code;
        const retryAfter = Number(/retryAfterMs=(\d+)/.exec(String((err as Error).message))?.[1] ?? 0);
        if (code && [400, 401, 403, 409].includes(code) && options.resume)
          options = {}; // the credential is refused: join plainly
        else this.endpointIndex++; // the endpoint is gone or busy: the next one
        await new Promise((r) => setTimeout(r, Math.max(retryAfter, Math.min(2000, 50 * 2 ** Math.min(attempt, 5))) * (0.5 + Math.random() / 2)));
      }
    }
    throw lastErr;
  }

  private attach(room: Room, resuming: boolean): Promise<void> {
    this.room = room;
    room.reconnection.maxRetries = 3; // a dead process refuses at once: give up on the room quickly, then resume
    room.reconnection.minUptime = 0;
    room.onStateChange(() => this.patched());
    room.onMessage('moving', (m: { resume: string }) => (this.resume = m.resume));
    room.onMessage('duplicate', () => this.record.duplicates++);
    room.onMessage('*', () => undefined);
    room.onLeave((code) => this.left(room, code));
    // The SDK's own reconnection to a room whose process is gone may never report failure: give up after a while.
    let giveUp: NodeJS.Timeout | undefined;
    room.onDrop(() => {
      this.droppedAt ||= Date.now();
      giveUp = setTimeout(() => {
        room.reconnection.enabled = false;
        this.left(room, 4003);
      }, 1500);
    });
    room.onReconnect(() => {
      clearTimeout(giveUp);
      this.droppedAt = 0;
    });
    const first = resuming
      ? this.next<{ sessionId: string; resume: string; restoredFrom: string }>('resumed')
      : this.next<{ sessionId: string; resume: string }>('welcome');
    return first.then((m) => {
      this.resume = m.resume;
      this.record.sessionIds.push(m.sessionId);
      if ('restoredFrom' in m) this.record.restoredFrom.push(String(m.restoredFrom));
    });
  }

  private patched(): void {
    const now = Date.now();
    if (this.droppedAt && this.lastPatchAt) {
      this.record.gapsMs.push(now - this.lastPatchAt);
      this.record.outagesMs.push(now - this.droppedAt);
      this.droppedAt = 0;
    }
    this.lastPatchAt = now;
  }

  private left(room: Room, code: number): void {
    if (room !== this.room || this.comingBack) return; // an abandoned room reporting late
    this.record.closes.push(code);
    if (code === 4000 || code === 4409) {
      this.record.closedForGood = true;
      return;
    }
    this.droppedAt ||= Date.now();
    this.endpointIndex++;
    this.comingBack = this.connect({ resume: this.resume }).finally(() => (this.comingBack = null));
  }
}
