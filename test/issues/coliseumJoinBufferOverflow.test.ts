import assert from 'node:assert/strict';
import { Encoder } from '@colyseus/schema';
import { SchemaSerializer } from '@colyseus/core';
import type { Room } from '@colyseus/core';
import { ColiseumState, KpiTile, LeaderboardRow, LeaderboardView } from '../../schema/ColiseumState.js';
import { UPSTREAM_SCHEMA_BUFFER_BYTES, setSchemaBufferBytes, sizeEncodeBuffers } from '../../rooms/colyseusInternals.js';
import { coliseumStateBytes } from '../../rooms/coliseum/ColiseumRoom.js';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_LEADERBOARDS } from '../../systems/leaderboard/leaderboards.js';

/** The default boards full of rows with long names and artwork, and every KPI tile: the largest state a jumbotron joins. */
function fullColiseum(limit: number): ColiseumState {
  const state = new ColiseumState();
  for (const id of DEFAULT_LEADERBOARDS) {
    const view = new LeaderboardView();
    view.leaderboard = id;
    view.title = `Title of ${id}`;
    for (let i = 0; i < limit; i++) {
      const row = new LeaderboardRow();
      Object.assign(row, {
        rank: i + 1,
        previousRank: i + 2,
        entityId: `artist_with_a_long_identifier_${i}`,
        name: `Orchestra Baobab de Dakar et ses amis ${i}`,
        score: 1_234_567 + i,
        trend: 'up',
        change: 1,
        changePercent: 12.5,
        image: `/api/artists/artist_with_a_long_identifier_${i}/image/thumbnail`,
      });
      view.rows.push(row);
    }
    state.leaderboards.set(id, view);
  }
  for (const id of ['events', 'sessions', 'visits', 'captures', 'votes', 'transitions', 'plays', 'attendance', 'revenue', 'online']) {
    const tile = new KpiTile();
    Object.assign(tile, { label: `Label of ${id} today`, unit: 'cents:usd', value: 123_456_789, previous: 100_000 });
    state.kpis.set(id, tile);
  }
  return state;
}

/**
 * A spectator join logged a cut-off "@colyseus/schema buffer overflow … BUFFER_SIZE" warning every time: the
 * process-wide buffers are sized for session rooms (SCHEMA_BUFFER_BYTES), the coliseum's full state is larger, and
 * the serializer hands its small full-state buffer to every full encode (the grown one is dropped).
 */
describe('issue: a coliseum spectator join warns of a schema buffer overflow', () => {
  const warnings: string[] = [];
  const warn = console.warn;
  beforeEach(() => {
    warnings.length = 0;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    setSchemaBufferBytes(loadConfig({}).schemaBufferBytes);
  });
  afterEach(() => {
    console.warn = warn;
    setSchemaBufferBytes(UPSTREAM_SCHEMA_BUFFER_BYTES);
  });

  /** A room's serializer as Colyseus sets it up, with the join's full-state encode done `joins` times. */
  function joins(limit: number, joinsCount: number, sized: boolean): void {
    const serializer = new SchemaSerializer();
    const state = fullColiseum(limit);
    serializer.reset(state);
    if (sized)
      assert.ok(sizeEncodeBuffers({ _serializer: serializer } as unknown as Room, coliseumStateBytes({ leaderboards: [...DEFAULT_LEADERBOARDS], limit })));
    for (let i = 0; i < joinsCount; i++) {
      state.kpis.get('online')!.value = i; // a change between joins: the full state is encoded again
      serializer.getFullState();
    }
  }

  it('the cause: with the process buffers, every join grows the buffer again and warns', () => {
    assert.ok(Encoder.BUFFER_SIZE < 16 * 1024);
    joins(10, 3, false);
    assert.equal(warnings.filter((w) => w.includes('buffer overflow')).length, 3);
  });

  for (const limit of [10, 50]) {
    it(`a coliseum room sized for its boards (${limit} rows each) joins without a warning`, () => {
      joins(limit, 3, true);
      assert.deepEqual(warnings, []);
    });
  }
});
