import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { uWebSocketClient } from '@colyseus/uwebsockets-transport';
import { corked } from '../../../rooms/colyseusInternals.js';

/** A stand-in for a uWS socket that records whether each frame was written under a cork. */
function fakeSocket(options: { throwOnCork?: boolean } = {}) {
  const writes: Array<{ corked: boolean }> = [];
  let inCork = false;
  const ws = {
    cork(cb: () => void) {
      if (options.throwOnCork) throw new Error('Invalid access of closed uWS.WebSocket/SSLWebSocket.');
      inCork = true;
      try {
        cb();
      } finally {
        inCork = false;
      }
    },
    send() {
      writes.push({ corked: inCork });
      return 1;
    },
  };
  return { ws, writes };
}

describe('corked: a patch and the message after it leave in one write (uWS)', () => {
  it("corks the real transport client's socket (fails if Colyseus moves `ref.ws`)", () => {
    const { ws, writes } = fakeSocket();
    // The transport wraps each socket in an emitter holding it as `ws` (uWebSocketWrapper, not exported).
    const client = new uWebSocketClient('s1', Object.assign(new EventEmitter(), { ws }) as never);
    corked(client, () => {
      client.raw(new Uint8Array([1]));
      client.raw(new Uint8Array([2]));
    });
    assert.deepEqual(writes, [{ corked: true }, { corked: true }]);
  });

  it('runs the sends uncorked when there is no uWS socket, when the client is gone, or when cork throws', () => {
    let ran = 0;
    corked(undefined, () => ran++);
    corked({ readyState: 1, ref: {} }, () => ran++);
    const { ws, writes } = fakeSocket();
    corked({ readyState: 3, ref: { ws } }, () => ws.send());
    assert.deepEqual(writes, [{ corked: false }], 'a closed client is not corked');
    corked({ readyState: 1, ref: { ws: fakeSocket({ throwOnCork: true }).ws } }, () => ran++);
    assert.equal(ran, 3);
  });

  it('lets an error from the sends themselves through (it is not a cork failure)', () => {
    const { ws } = fakeSocket();
    assert.throws(
      () =>
        corked({ readyState: 1, ref: { ws } }, () => {
          throw new Error('boom');
        }),
      /boom/,
    );
  });
});
