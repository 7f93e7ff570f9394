import assert from 'node:assert/strict';
import { ROOMS_PAGE, roomPage } from '../../../web/src/ops/rooms.js';

const room = (i: number, name: string, clients: number, processId = 'procA') => ({
  roomId: `r${String(i).padStart(3, '0')}x`,
  name,
  processId,
  clients,
  maxClients: name === 'session' ? 1 : 500,
  createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
});

describe('web/ops rooms: filtered and paged', () => {
  // 120 session rooms (a third held with no client), 2 coliseum rooms on another process.
  const rooms = [
    ...Array.from({ length: 120 }, (_, i) => room(i, 'session', i % 3 ? 1 : 0)),
    room(500, 'coliseum', 7, 'procB'),
    room(501, 'coliseum', 2, 'procB'),
  ];
  const all = { type: '', text: '', occupied: false };

  it(`shows ${ROOMS_PAGE} a page, fullest first, and clamps the page`, () => {
    const first = roomPage(rooms, all, 0);
    assert.deepEqual([first.matched, first.pages, first.rows.length], [122, 5, ROOMS_PAGE]);
    assert.deepEqual(
      first.rows.slice(0, 2).map((r) => r.roomId),
      ['r500x', 'r501x'],
    );
    const last = roomPage(rooms, all, 99);
    assert.deepEqual([last.page, last.rows.length], [4, 122 - 4 * ROOMS_PAGE]);
  });

  it('filters by type, by text in the room or process id (any case), and to rooms with clients', () => {
    assert.equal(roomPage(rooms, { ...all, type: 'coliseum' }, 0).matched, 2);
    assert.equal(roomPage(rooms, { ...all, text: 'PROCB' }, 0).matched, 2);
    assert.deepEqual(
      roomPage(rooms, { ...all, text: 'r04' }, 0).rows.map((r) => r.roomId),
      ['r049x', 'r047x', 'r046x', 'r044x', 'r043x', 'r041x', 'r040x', 'r048x', 'r045x', 'r042x'],
    );
    assert.equal(roomPage(rooms, { ...all, type: 'session', occupied: true }, 0).matched, 80);
    assert.deepEqual(roomPage(rooms, { ...all, text: 'nothing' }, 3), { rows: [], matched: 0, page: 0, pages: 1 });
  });
});
