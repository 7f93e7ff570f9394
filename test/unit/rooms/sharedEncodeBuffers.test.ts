import assert from 'node:assert/strict';
import { Room } from '@colyseus/core';
import { Decoder, Reflection } from '@colyseus/schema';
import { SessionState } from '../../../schema/SessionState.js';
import { driveWithSharedTicker, shareEncodeBuffers } from '../../../rooms/colyseusInternals.js';

class StateRoom extends Room<{ state: SessionState }> {
  override state = new SessionState();
}

/** A room as the matchmaker prepares it before onCreate (its state handed to the serializer), with no timers. */
function room(): StateRoom {
  const r = new StateRoom();
  (r as unknown as { __init(): void }).__init();
  driveWithSharedTicker(r);
  return r;
}

type Internals = {
  _serializer: {
    handshake(): Uint8Array;
    encoder: { sharedBuffer: Uint8Array; encode(it?: { offset: number }): Uint8Array; discardChanges(): void };
    fullEncodeBuffer: Uint8Array;
    getFullState(): Uint8Array;
  };
};
const internals = (room: Room) => (room as unknown as Internals)._serializer;

/** What a client decoding `frame` (a full state or a patch, after its protocol byte) would hold. */
function decodeInto(decoder: Decoder<SessionState>, frame: Uint8Array): SessionState {
  decoder.decode(frame.subarray(1) as never);
  return decoder.state;
}

describe('shared encode buffers (rooms/colyseusInternals shareEncodeBuffers)', () => {
  it('two rooms encode into one pair of buffers', () => {
    const [a, b] = [room(), room()];
    assert.equal(shareEncodeBuffers(a), true);
    assert.equal(shareEncodeBuffers(b), true);
    assert.equal(internals(a).encoder.sharedBuffer, internals(b).encoder.sharedBuffer);
    assert.equal(internals(a).fullEncodeBuffer, internals(b).fullEncodeBuffer);
  });

  it("a full state asked for after another room wrote the buffers is the room's own, not a stale cache", () => {
    const [a, b] = [room(), room()];
    shareEncodeBuffers(a);
    shareEncodeBuffers(b);
    a.state.station.artistName = 'Wizkid';
    a.state.totalStars = 3;
    b.state.station.artistName = 'Burna Boy';
    b.state.totalStars = 9;
    const first = decodeInto(new Decoder(new SessionState()), internals(a).getFullState());
    assert.deepEqual([first.station.artistName, first.totalStars], ['Wizkid', 3]);
    internals(a).encoder.discardChanges(); // its patch went out: nothing pending, so upstream would reuse the cache
    internals(b).getFullState(); // room b overwrites the shared full-state buffer
    // Unchanged room a: upstream would answer its cached view, now over b's bytes.
    const again = decodeInto(new Decoder(new SessionState()), internals(a).getFullState());
    assert.deepEqual([again.station.artistName, again.totalStars], ['Wizkid', 3]);
  });

  it("each room's patches decode to its own changes when encodes interleave", () => {
    const [a, b] = [room(), room()];
    shareEncodeBuffers(a);
    shareEncodeBuffers(b);
    const da = new Decoder(new SessionState());
    const db = new Decoder(new SessionState());
    decodeInto(da, internals(a).getFullState());
    decodeInto(db, internals(b).getFullState());
    for (let i = 1; i <= 5; i++) {
      a.state.totalStars = i;
      b.state.totalStars = 100 + i;
      const pa = Uint8Array.from(internals(a).encoder.encode({ offset: 1 })); // sent (copied) before the next encode
      const pb = Uint8Array.from(internals(b).encoder.encode({ offset: 1 }));
      internals(a).encoder.discardChanges();
      internals(b).encoder.discardChanges();
      assert.equal(decodeInto(da, pa).totalStars, i);
      assert.equal(decodeInto(db, pb).totalStars, 100 + i);
    }
  });

  it('rooms of one state class send one handshake, byte for byte the one a room of its own encodes, and a client decodes it', () => {
    const [a, b, own] = [room(), room(), room()];
    shareEncodeBuffers(a);
    shareEncodeBuffers(b);
    assert.equal(internals(a).handshake(), internals(b).handshake(), 'the second room encoded a handshake of its own');
    assert.deepEqual(Buffer.from(internals(a).handshake()), Buffer.from(internals(own).handshake()));
    const decoded = Reflection.decode(internals(b).handshake()) as unknown as { state: object };
    assert.ok(decoded.state, 'the shared handshake decodes to a state type');
  });
});
