import assert from 'node:assert/strict';
import { gravityToEvent } from '../../../systems/passport/index.js';

/** `POST /event` takes seed 001's snake_case and the same fields in camelCase (docs/PROTOCOL.md). */
describe('gravity event: snake_case and camelCase', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const ids = () => '0b7f1c9e-2d4a-4b8e-9c3f-6a5d4e3f2a10';
  const track = '25D6EA71-9D2C-5FE5-A864-11BBDEAE775A';

  it('maps both spellings to the same passport event', () => {
    const snake = gravityToEvent({ session_id: 's1', track_id: track, event_type: 'skip', meta: { elapsed_ms: 4000 }, context: 'radio' }, now, ids);
    const camel = gravityToEvent({ sessionId: 's1', trackId: track, eventType: 'skip', meta: { elapsedMs: 4000 }, context: 'radio' }, now, ids);
    assert.ok(snake.ok && camel.ok);
    assert.deepEqual(camel.event, snake.event);
    assert.equal(camel.event.eventType, 'player.track_skipped');
    assert.deepEqual(camel.event.payload, { trackId: track.toLowerCase(), gravityType: 'skip', context: 'radio', elapsedMs: 4000 });
  });

  it('camelCase skip still needs meta.elapsedMs, and a mixed body is refused naming the odd field', () => {
    const skip = gravityToEvent({ sessionId: 's1', trackId: track, eventType: 'skip' }, now, ids);
    assert.ok(!skip.ok && skip.issues.some((i) => i.field === 'meta.elapsedMs'));
    const mixed = gravityToEvent({ sessionId: 's1', track_id: track, eventType: 'like' }, now, ids);
    assert.ok(!mixed.ok);
    assert.deepEqual(mixed.issues.map((i) => i.field).sort(), ['trackId', 'track_id']);
  });
});
