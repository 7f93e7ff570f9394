import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';

const ADMIN = 'admin-token-for-served-custom-boards-0123456789';

/** The real server's wiring: a board an operator defines in /ops is readable by apps and screens, as JSON and CSV. */
describe('custom leaderboards are served publicly by the running server', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN });
  const base = () => running().server.baseUrl;

  it('GET /api/leaderboards lists it and GET /api/leaderboards/custom.<slug> answers it (JSON and CSV)', async () => {
    const created = await fetch(`${base()}/api/ops/custom-leaderboards`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Afrobeat night', base: 'artists.plays', window: 'day', entityIds: ['artist_fela_kuti', 'artist_tony_allen'] }),
    });
    assert.equal(created.status, 201, await created.text());
    const list = (await (await fetch(`${base()}/api/leaderboards`)).json()) as { custom: Array<{ name: string }> };
    assert.deepEqual(
      list.custom.map((b) => b.name),
      ['custom.afrobeat-night'],
    );
    const board = await fetch(`${base()}/api/leaderboards/custom.afrobeat-night`);
    assert.equal(board.status, 200, await board.clone().text());
    assert.deepEqual(((await board.json()) as { entries: Array<{ entityId: string }> }).entries.map((e) => e.entityId).sort(), [
      'artist_fela_kuti',
      'artist_tony_allen',
    ]);
    const csv = await fetch(`${base()}/api/leaderboards/custom.afrobeat-night?format=csv`);
    assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  });
});
