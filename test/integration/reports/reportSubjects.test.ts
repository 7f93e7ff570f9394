import assert from 'node:assert/strict';
import { useTestDatabase } from '../../support/db.js';
import { ReportRepository } from '../../../persistence/reports/ReportRepository.js';
import { DnaRepository } from '../../../persistence/mediaid/DnaRepository.js';
import { MediaIdStore } from '../../../persistence/mediaid/MediaIdStore.js';
import { ReportLibrary } from '../../../features/reports/ReportLibrary.js';

/** What a report calls its subject and where it ranks it: names, not ids; a board with data, not an empty one. */
describe('report subjects: names and the board a subject is ranked on', function () {
  this.timeout(30_000);
  const db = useTestDatabase();
  const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
  const range = [new Date(today.getTime() - 7 * 86_400_000), new Date(today.getTime() + 86_400_000)] as const;
  beforeEach(() => db().sql.query(`DELETE FROM coliseum_metrics`));

  async function rollup(entityType: string, entityId: string, metric: string, value: number): Promise<void> {
    await db().sql.query(`INSERT INTO coliseum_metrics (entity_type, entity_id, metric, period, bucket_start, value) VALUES (?, ?, ?, 'day', ?, ?)`, [
      entityType,
      entityId,
      metric,
      today,
      value,
    ]);
  }

  it('an event is named by its title, an unknown event not at all', async () => {
    await db().sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('evt_audit', 'Audit Night', now(), now() + interval '1 day')`);
    const reports = new ReportRepository(db().sql);
    assert.deepEqual(await reports.namesOf('event', ['evt_audit', 'evt_gone']), new Map([['evt_audit', 'Audit Night']]));
  });

  it('a report made before its event exists is named by the title once the event exists: one report, history and share link', async () => {
    const dna = { dims: 8, halfLifeMs: 86_400_000, baseWeight: 1 };
    const library = new ReportLibrary({
      store: new MediaIdStore(db().orm),
      reports: new ReportRepository(db().sql),
      dna: new DnaRepository(db().sql, dna.dims, dna.halfLifeMs),
      settings: { dna, maxListeners: 10, clusters: 2, tournamentMaxCities: 4 },
    });
    const early = await library.create({ subject: { type: 'event', id: 'evt_later' }, from: range[0], to: range[1], label: '7d' }, 3_600_000, Date.now());
    assert.equal(early.entityName, 'evt_later', 'no title to give yet');
    await db().sql.query(`INSERT INTO concierto_events (id, title, starts_at, ends_at) VALUES ('evt_later', 'Later Night', now(), now() + interval '1 day')`);
    const read = await library.get(early.id);
    assert.deepEqual([read?.entityName, (read?.reportData.subject as { name: string }).name], ['Later Night', 'Later Night']);
    assert.equal((await library.shared(early.shareToken ?? ''))?.entityName, 'Later Night');
    assert.deepEqual(
      (await library.list({ limit: 5, type: 'event' })).map((r) => r.entityName),
      ['Later Night'],
    );
  });

  it('an artist nobody played is ranked on the station-visits board, which has data, not as unranked of 0 plays', async () => {
    await rollup('artist', 'artist_a', 'station_visits', 9);
    await rollup('artist', 'artist_b', 'station_visits', 4);
    const reports = new ReportRepository(db().sql);
    const position = await reports.position({ type: 'artist', id: 'artist_b' }, ...range);
    assert.deepEqual(position && [position.leaderboard, position.score, position.rank, position.outOf], ['Top Artists by Station Visits', 4, 2, 2]);
  });

  it('an event nobody attended but people voted on is ranked on the votes board, not as nobody on attendance', async () => {
    await rollup('concierto_event', 'evt_a', 'votes', 12);
    await rollup('concierto_event', 'evt_b', 'votes', 5);
    const position = await new ReportRepository(db().sql).position({ type: 'event', id: 'evt_b' }, ...range);
    assert.deepEqual(position && [position.leaderboard, position.score, position.rank, position.outOf], ['Top Events by Votes', 5, 2, 2]);
  });

  it('a city report matches its city in any case, as a tournament does', async () => {
    await db().sql.query(
      `INSERT INTO passport_entries (event_id, event_type, event_category, occurred_at, received_at, payload, source) VALUES (gen_random_uuid(), 'station.visited', 'station', now(), now(), '{"city": "Lagos"}'::jsonb, 'http')`,
    );
    const reports = new ReportRepository(db().sql);
    const counted = async (id: string) => (await reports.metrics({ type: 'city', id }, ...range)).events;
    assert.deepEqual([await counted('Lagos'), await counted('lagos'), await counted('Accra')], [1, 1, 0]);
    await rollup('city', 'Lagos', 'engagement', 9);
    await rollup('city', 'Accra', 'engagement', 4);
    const position = await reports.position({ type: 'city', id: 'lagos' }, ...range);
    assert.deepEqual(position && [position.score, position.rank, position.outOf], [9, 1, 2]);
  });

  it('an artist with plays keeps the plays board', async () => {
    await rollup('artist', 'artist_a', 'station_visits', 9);
    await rollup('artist', 'artist_a', 'plays', 3);
    const position = await new ReportRepository(db().sql).position({ type: 'artist', id: 'artist_a' }, ...range);
    assert.deepEqual(position && [position.leaderboard, position.score, position.rank, position.outOf], ['Top Artists by Plays', 3, 1, 1]);
  });
});
