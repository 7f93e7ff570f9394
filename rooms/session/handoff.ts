/** The room's snapshot: written so another process can take the session over (a drain) or restore it (a crash). */
import { SNAPSHOT_VERSION, type SessionSnapshot, type SnapshotReason } from '../../systems/handoff/snapshot.js';
import type { SessionActor } from './SessionActor.js';
import type { SessionHandoff } from '../../features/handoff/SessionHandoff.js';

export interface SnapshotPorts {
  store: Pick<SessionHandoff, 'save'>;
  now: () => number;
}

/** The session room as its snapshot reads it (`generation`: the holder's resume count). */
export type SnapshotHost = Pick<
  SessionActor,
  'roomId' | 'identity' | 'state' | 'sim' | 'counters' | 'visitedPath' | 'log' | 'generation' | 'appliedSeq' | 'ride'
>;

export function snapshotOf(room: SnapshotHost, reason: SnapshotReason, nowMs: number): SessionSnapshot {
  const { dial, camera } = room.sim;
  return {
    v: SNAPSHOT_VERSION,
    sessionId: room.identity.sessionId,
    userId: room.identity.userId,
    generation: room.generation,
    roomId: room.roomId,
    reason,
    writtenAt: nowMs,
    appliedSeq: room.appliedSeq,
    dial: { target: dial.target, locked: dial.locked, predicted: dial.predicted },
    station: { artistId: room.state.station.artistId, frequency: room.state.station.frequency },
    camera: { position: [camera.position[0], camera.position[1], camera.position[2]], fov: camera.fov },
    counters: room.counters.tallies(),
    visitedPath: room.visitedPath.slice(-200),
    ...(room.ride ? { ride: room.ride.snapshot() } : {}),
  };
}

/** Beyond the dial, station and tallies (the join shows those): path, camera, seq. */
export function restoreSnapshot(room: SnapshotHost, snapshot: SessionSnapshot): void {
  room.visitedPath.splice(0, Infinity, ...snapshot.visitedPath);
  room.sim.restoreCamera(snapshot.camera.position, snapshot.camera.fov);
  room.appliedSeq = snapshot.appliedSeq;
}

/** While the room's dial keeps changing under it. */
const LAST_WRITE_ATTEMPTS = 3;

/** Station, dial and the last input applied. */
function sameView(a: SessionSnapshot, b: SessionSnapshot): boolean {
  return (
    a.station.artistId === b.station.artistId &&
    a.dial.target === b.dial.target &&
    a.dial.locked === b.dial.locked &&
    a.appliedSeq === b.appliedSeq &&
    a.counters.captures === b.counters.captures &&
    a.ride?.holder === b.ride?.holder &&
    a.ride?.riders.length === b.ride?.riders.length
  );
}

/** On meaningful changes (a lock, an arrival, a capture, a badge), never per tick: one write at a time, changes during it coalesce into one more. */
export class SnapshotWriter {
  private writing: Promise<void> | null = null;
  private dirty = false;
  /** A lock settling after the drain's last write must not overwrite it (the session is elsewhere by then). */
  private closed = false;

  constructor(
    private readonly room: SnapshotHost,
    private readonly ports: SnapshotPorts,
  ) {}

  /** Coalesced. Failures are logged: the session goes on, only a crash would lose more. */
  soon(): void {
    if (this.closed) return;
    if (this.writing) return void (this.dirty = true);
    this.writing = this.write().finally(() => {
      this.writing = null;
      if (this.dirty) {
        this.dirty = false;
        this.soon();
      }
    });
  }

  /** After any live write in flight, so it is the last stored, and after `settled`: then it holds what the client was shown. */
  async last(durable: boolean, settled: () => Promise<void>): Promise<void> {
    this.closed = true;
    this.dirty = false;
    await this.writing;
    // The ticker runs during the write: a glide that locks meanwhile would reach the client but not the snapshot,
    // so the write is taken again (a few times at most) until it holds what the room shows.
    for (let attempt = 0; attempt < LAST_WRITE_ATTEMPTS; attempt++) {
      await settled();
      const nowMs = this.ports.now();
      const written = snapshotOf(this.room, 'handoff', nowMs);
      await this.ports.store.save(written, nowMs, durable);
      if (sameView(written, snapshotOf(this.room, 'handoff', nowMs))) return;
    }
  }

  private async write(): Promise<void> {
    try {
      const now = this.ports.now();
      await this.ports.store.save(snapshotOf(this.room, 'live', now), now);
    } catch (err) {
      this.room.log.warn({ err: (err as Error).message }, 'session snapshot not written; a crash now would restore an older one');
    }
  }
}
