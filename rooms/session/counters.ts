import type { SavedCounters, SessionCounters } from '../../persistence/session/SessionRepository.js';

/** The per-session tallies kept on `user_sessions`: changes.ts and a capture count them. */
export class SessionCountersTracker implements SavedCounters {
  interactions = 0;
  swipes = 0;
  orbsExplored = 0;
  captures = 0;
  sensorEngagements = 0;
  sensorSeconds = 0;

  /** A resumed session continues, not restarts at zero (`saved` holds the tallies only: a row's or a snapshot's). */
  restore(saved: SavedCounters): void {
    Object.assign(this, saved);
  }

  /** Changing nothing: the `sensor_ack` of a batch not yet applied. */
  sensorSecondsWith(batchSec: number): number {
    return Math.round((this.sensorSeconds + batchSec) * 10) / 10;
  }

  tallies(): SavedCounters {
    const { interactions, swipes, orbsExplored, captures, sensorEngagements, sensorSeconds } = this;
    return { interactions, swipes, orbsExplored, captures, sensorEngagements, sensorSeconds };
  }

  snapshot(frequency: number, artistId: string | null): SessionCounters {
    return { frequency, artistId, ...this.tallies() };
  }
}
