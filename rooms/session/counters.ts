import type { SessionCounters } from '../../persistence/session/SessionRepository.js';

/** The per-session tallies the seed keeps on `user_sessions` (step 3.2, 5.2, 6.6, 7.7). */
export class SessionCountersTracker {
  interactions = 0;
  swipes = 0;
  orbsExplored = 0;
  captures = 0;
  sensorEngagements = 0;
  private sensorTotalSec = 0;

  /** Continues a resumed session's tallies instead of restarting them at zero. */
  restore(saved: Pick<SessionCounters, 'interactions' | 'swipes' | 'orbsExplored' | 'captures' | 'sensorEngagements' | 'sensorSeconds'>): void {
    this.interactions = saved.interactions;
    this.swipes = saved.swipes;
    this.orbsExplored = saved.orbsExplored;
    this.captures = saved.captures;
    this.sensorEngagements = saved.sensorEngagements;
    this.sensorTotalSec = saved.sensorSeconds ?? 0;
  }

  /** Seed 15.4 `total_interactions + queue_length`: operations an offline sync newly applied count as interactions. */
  offlineApplied(operations: number): void {
    this.interactions += operations;
  }

  interact(): void {
    this.interactions++;
  }

  swipe(): void {
    this.swipes++;
    this.interactions++;
  }

  exploreOrb(): number {
    this.interactions++;
    return ++this.orbsExplored;
  }

  capture(): void {
    this.captures++;
    this.interactions++;
  }

  sensors(samples: number): void {
    this.sensorEngagements += samples;
  }

  /** Adds a batch's seconds (seed step 5 `total_sensor_time`). */
  addSensorSeconds(batchSec: number): void {
    this.sensorTotalSec += batchSec;
  }

  /** The session's total once `batchSec` more are added, changing nothing (the `sensor_ack` of a batch not yet applied). */
  sensorSecondsWith(batchSec: number): number {
    return Math.round((this.sensorTotalSec + batchSec) * 10) / 10;
  }

  snapshot(frequency: number, artistId: string | null): SessionCounters {
    return {
      frequency,
      artistId,
      interactions: this.interactions,
      swipes: this.swipes,
      orbsExplored: this.orbsExplored,
      captures: this.captures,
      sensorEngagements: this.sensorEngagements,
      sensorSeconds: this.sensorTotalSec,
    };
  }
}
