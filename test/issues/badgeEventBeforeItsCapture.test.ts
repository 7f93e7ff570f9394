import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { catalogReads } from '../support/catalogReads.js';
import { writerOptions } from '../support/config.js';
import { Capture } from '../../features/constellation/Capture.js';
import { OutboxDrainer } from '../../features/passport/OutboxDrainer.js';
import { PassportWriter } from '../../features/passport/PassportWriter.js';
import { CatalogRepository } from '../../persistence/catalog/CatalogRepository.js';
import { ConstellationRepository } from '../../persistence/constellation/ConstellationRepository.js';
import { PassportOutbox } from '../../persistence/passport/PassportOutbox.js';

/**
 * Regression: captures gathered into one statement wrote each capture's `badge.earned` outbox row before its
 * `constellation.captured` row, and the outbox lease returned rows in whatever order the plan met them, so after a
 * crash the drainer stored the first badge ahead of the star that earned it (30 of 30 users here). A lease now
 * returns events in the order they happened, a badge after its capture.
 */
describe('issue: a badge event stored before the capture that earned it', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let writer: PassportWriter;

  before(async () => {
    db = await createTestDatabase();
    writer = new PassportWriter(db.sql, writerOptions({ flushIntervalMs: 5 }), pino({ level: 'silent' }));
  });
  after(async () => {
    await writer?.stop();
    await db?.drop();
  });

  it('first captures of 30 users in one statement, the process dead before its flush: the drainer stores each capture before its badge', async () => {
    const catalog = new CatalogRepository(db.orm);
    await catalog.ensureDemoCatalog();
    const artists = await db.sql.query<{ id: string; name: string }>(`SELECT id, name FROM artists ORDER BY station_frequency LIMIT 30`);
    const users = artists.map(() => randomUUID());
    await db.sql.query(`INSERT INTO users (id, device_id) SELECT u::uuid, 'device-' || u FROM jsonb_array_elements_text(?::jsonb) u`, [JSON.stringify(users)]);
    // Nothing queued after the commit: the events are only in the outbox, as a kill -9 leaves them.
    const dead = new Capture({ catalog: catalogReads(catalog), constellations: new ConstellationRepository(db.sql), passport: { enqueue: () => undefined } });
    const outcomes = await Promise.all(
      users.map((userId, i) =>
        dead.run({
          userId,
          sessionId: null,
          deviceId: `device-${userId}`,
          source: 'room',
          artist: { ...artists[i], genres: [] },
          discoveryPath: [],
          existing: [],
        }),
      ),
    );
    assert.ok(outcomes.every((o) => o.status === 'captured'));

    await db.sql.query(`UPDATE passport_outbox SET leased_at = now() - interval '1 hour'`);
    const drainer = new OutboxDrainer(new PassportOutbox(db.sql), writer, { ageMs: 1000, batch: 500 }, pino({ level: 'silent' }));
    assert.equal(await drainer.pass(), 60);
    await writer.drain();

    const rows = await db.sql.query<{ user_id: string; event_type: string }>(`SELECT user_id::text, event_type FROM passport_entries ORDER BY id`);
    const badgeFirst = users.filter((u) => rows.find((r) => r.user_id === u)?.event_type !== 'constellation.captured');
    assert.equal(rows.length, 60);
    assert.deepEqual(badgeFirst, [], 'users whose first stored event is not their capture');
  });
});
