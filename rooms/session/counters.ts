import type { SessionCounters } from '../../persistence/session/SessionRepository.js';

/** The per-session tallies kept on `user_sessions`. */
export class SessionCountersTracker {
  interactions = 0;
  swipes = 0;
  orbsExplored = 0;
  captures = 0;
  sensorEngagements = 0;
  private sensorTotalSec = 0;

  /** A resumed session continues, not restarts at zero. */
  restore(saved: Pick<SessionCounters, 'interactions' | 'swipes' | 'orbsExplored' | 'captures' | 'sensorEngagements' | 'sensorSeconds'>): void {
    this.interactions = saved.interactions;
    this.swipes = saved.swipes;
    this.orbsExplored = saved.orbsExplored;
    this.captures = saved.captures;
    this.sensorEngagements = saved.sensorEngagements;
    this.sensorTotalSec = saved.sensorSeconds ?? 0;
  }

  /** Operations an offline sync newly applied count as interactions. */
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

  addSensorSeconds(batchSec: number): void {
    this.sensorTotalSec += batchSec;
  }

  /** Changing nothing: the `sensor_ack` of a batch not yet applied. */
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
