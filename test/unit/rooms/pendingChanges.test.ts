import assert from 'node:assert/strict';
import { Encoder } from '@colyseus/schema';
import { SessionState } from '../../../schema/SessionState.js';
import { SessionSimulation } from '../../../rooms/session/SessionSimulation.js';
import { hasPendingChanges } from '../../../rooms/colyseusInternals.js';

describe('hasPendingChanges (skip empty patch steps)', () => {
  it('is true exactly when the encoder has something to send', () => {
    const state = new SessionState();
    const encoder = new Encoder(state);
    assert.equal(hasPendingChanges(state), true, 'a new state has everything to send');
    encoder.encode();
    encoder.discardChanges();
    assert.equal(hasPendingChanges(state), false);
    assert.equal(encoder.hasChanges, false, 'agrees with the encoder');
    state.dial.frequency = 101.1;
    assert.equal(hasPendingChanges(state), true);
    assert.equal(encoder.hasChanges, true);
  });

  it('an idle session with orbs changes nothing: orbs move on the server clock and are never streamed', () => {
    const state = new SessionState();
    const encoder = new Encoder(state);
    const sim = new SessionSimulation(state, [88.1, 99.9, 105.5], 99.9, 1_000);
    const orb = (id: string, relationship: string) => ({
      id,
      relationship,
      radius: 120,
      speed: 0.4,
      startAngle: 0,
      inclination: 0,
      targetArtistId: `artist_${id}`,
      targetName: id,
      targetFrequency: null,
    });
    const station = {
      artist: { id: 'artist_wizkid', name: 'Wizkid', frequency: 99.9, genres: ['Afrobeats'], era: '2000s–present' },
      orbs: [orb('fela', 'ancestor'), orb('tems', 'peer')],
    };
    sim.showStation(station as unknown as Parameters<SessionSimulation['showStation']>[0], 1_000);
    const flush = () => (encoder.encode(), encoder.discardChanges());
    flush();
    const dirty: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      sim.tick(1_000 + 50 * i);
      dirty.push(hasPendingChanges(state));
      flush();
    }
    assert.deepEqual(dirty, new Array(10).fill(false), 'ten idle ticks, nothing to send');
    assert.equal(sim.idle, true, 'the room may stop stepping it');
    sim.swipe({ direction: 'right', velocity: 850 }, 1_500);
    assert.equal(hasPendingChanges(state), true, 'a swipe writes the dial');
    flush();
    // The glide is a closed form of the server clock: nothing to send until it settles.
    const settlesAt = state.dial.settlesAt;
    for (let now = 1_550; now < settlesAt; now += 50) {
      assert.equal(sim.tick(now).lockedAt, undefined);
      assert.equal(hasPendingChanges(state), false, `nothing streamed mid-glide at ${now} ms`);
    }
    assert.equal(sim.nextEventAt(), settlesAt, 'the room may skip steps until the glide settles');
    assert.equal(sim.tick(settlesAt).lockedAt, 105.5);
    assert.equal(hasPendingChanges(state), true, 'the lock writes the dial');
    assert.equal(sim.nextEventAt(), null, 'nothing moves');
    flush();
    // A zoom follows the server clock: a step 0.5 s in changes nothing, the first step at 0.8 s ends it.
    const fela = sim.orbs[0];
    sim.startZoom(fela, 10_000, sim.planZoom(fela, 10_000).transition);
    flush();
    assert.equal(sim.nextEventAt(), 10_800);
    assert.equal(sim.tick(10_500).zoomFinished, undefined);
    assert.equal(hasPendingChanges(state), false, 'the camera is not streamed during the zoom');
    assert.equal(sim.tick(10_800).zoomFinished, fela);
    assert.equal(state.camera.transitioning, false);
  });
});
