import assert from 'node:assert/strict';
import { useServer } from '../../support/serverProcess.js';
import { joinSession, leaveQuietly } from '../../support/session.js';
import { nextMessage } from '../../support/rooms.js';
import { bearer, signIn } from '../../support/auth.js';

const ADMIN = 'ops-actions-admin-token-0123456789';

/** An operator sees who is in a room, removes one client, disposes a room; every action is audited. */
describe('ops actions on a real server: room → user, kick, dispose', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, TRANSPORT: 'uws' });
  const post = (path: string, token = ADMIN) => fetch(`${running().server.baseUrl}${path}`, { method: 'POST', headers: bearer(token) });

  it("lists each client's userId from the verified token", async () => {
    const me = await signIn(running().server.baseUrl);
    const { room } = await joinSession(running().server.baseUrl, {}, me);
    const view = await (await fetch(`${running().server.baseUrl}/api/ops/rooms/${room.roomId}`, { headers: bearer(ADMIN) })).json();
    assert.deepEqual(
      view.clientList.map((c: { sessionId: string; userId: string }) => [c.sessionId, c.userId]),
      [[room.sessionId, me.userId]],
    );
    await leaveQuietly(room);
  });

  it('kicks one client (close 4000, no reconnection), 404 for an unknown room or client, 401 without the token', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const left = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    assert.equal((await post(`/api/ops/rooms/${room.roomId}/clients/${room.sessionId}/kick`, 'not-the-admin-token-000')).status, 401);
    assert.equal((await post(`/api/ops/rooms/${room.roomId}/clients/nobody/kick`)).status, 404);
    assert.equal((await post(`/api/ops/rooms/no-such-room/clients/${room.sessionId}/kick`)).status, 404);
    const res = await post(`/api/ops/rooms/${room.roomId}/clients/${room.sessionId}/kick`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await left, 4000);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(running().server.output(), /"action":"kick_client"[^\n]*"sessionId":"[^"]+"/);
  });

  it('disposes a room: its client is closed and the room is gone', async () => {
    const { room } = await joinSession(running().server.baseUrl);
    const left = new Promise<number>((resolve) => room.onLeave((code: number) => resolve(code)));
    const res = await post(`/api/ops/rooms/${room.roomId}/dispose`);
    assert.equal(res.status, 200);
    await left;
    for (let i = 0; i < 20; i++) {
      if ((await fetch(`${running().server.baseUrl}/api/ops/rooms/${room.roomId}`, { headers: bearer(ADMIN) })).status === 404) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal((await fetch(`${running().server.baseUrl}/api/ops/rooms/${room.roomId}`, { headers: bearer(ADMIN) })).status, 404);
    assert.equal((await post(`/api/ops/rooms/${room.roomId}/dispose`)).status, 404);
    assert.match(running().server.output(), /"action":"dispose_room"/);
  });

  it('counts incoming messages by type (unknown types as one label), error replies by code, joins and leaves', async () => {
    const metric = async () => (await (await fetch(`${running().server.baseUrl}/metrics`, { headers: bearer(ADMIN) })).text()).split('\n');
    const value = (lines: string[], name: string, labels: string) =>
      Number(
        lines
          .find((l) => l.startsWith(`${name}{`) && labels.split(',').every((kv) => l.includes(kv)))
          ?.split(' ')
          .pop() ?? 0,
      );
    const before = await metric();
    const { room } = await joinSession(running().server.baseUrl);
    const locked = nextMessage(room, 'locked');
    room.send('tune', { frequency: 105.5 });
    await locked;
    const error = nextMessage(room, 'error');
    room.send(`made-up-${Date.now()}`, {});
    await error;
    await leaveQuietly(room);
    await new Promise((r) => setTimeout(r, 300));
    const after = await metric();
    const delta = (name: string, labels: string) => value(after, name, labels) - value(before, name, labels);
    assert.equal(delta('ds_room_messages_in_total', 'room="session",type="tune"'), 1);
    assert.equal(delta('ds_room_messages_in_total', 'room="session",type="unknown"'), 1);
    assert.ok(!after.some((l) => l.includes('made-up-')), 'an unknown type never becomes a label');
    assert.equal(delta('ds_room_error_replies_total', 'room="session",code="UNKNOWN_MESSAGE"'), 1);
    assert.equal(delta('ds_room_connections_total', 'room="session",event="join"'), 1);
    assert.equal(delta('ds_room_connections_total', 'room="session",event="leave"'), 1);

    // The panel shows the same counters as per-second rates over the last minute (server-side, from deltas).
    type Rates = {
      windowSec: number;
      messages: Array<{ labels: Record<string, string>; count: number; perSec: number }>;
      errors: Array<{ labels: Record<string, string> }>;
      connections: Array<{ labels: Record<string, string> }>;
      http: Array<{ labels: Record<string, string>; perSec: number }>;
    };
    let rates: Rates | null = null;
    for (let i = 0; i < 30; i++) {
      rates = ((await (await fetch(`${running().server.baseUrl}/api/ops/overview`, { headers: bearer(ADMIN) })).json()) as { totals: { rates: Rates | null } })
        .totals.rates;
      // The rates come from periodic samples: on a busy box the message, the error reply and the leave can land
      // in different samples, so wait for all of them rather than for the first.
      if (
        rates?.messages.some((r) => r.labels.type === 'tune') &&
        rates.errors.some((r) => r.labels.code === 'UNKNOWN_MESSAGE') &&
        rates.connections.some((r) => r.labels.event === 'leave')
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(rates && rates.windowSec > 0 && rates.windowSec <= 60, JSON.stringify(rates));
    const tune = rates.messages.find((r) => r.labels.room === 'session' && r.labels.type === 'tune');
    // A young process has a window shorter than a minute: the rate is the count over the window it has.
    assert.ok(
      tune && tune.count >= 1 && Math.abs(tune.perSec - tune.count / rates.windowSec) <= 0.06 * tune.perSec,
      JSON.stringify({ tune, windowSec: rates.windowSec }),
    );
    assert.ok(rates.errors.some((r) => r.labels.code === 'UNKNOWN_MESSAGE'));
    assert.deepEqual(
      ['join', 'leave'].filter((e) => rates!.connections.some((r) => r.labels.room === 'session' && r.labels.event === e)),
      ['join', 'leave'],
    );
    assert.ok(
      rates.http.some((r) => r.labels.endpoint === 'GET /metrics' && r.labels.status_class === '2xx' && r.perSec > 0),
      JSON.stringify(rates.http),
    );
  });

  it("tails this process's log for the admin only; level is validated", async () => {
    const base = running().server.baseUrl;
    assert.equal((await fetch(`${base}/api/ops/logs`)).status, 401);
    assert.equal((await fetch(`${base}/api/ops/logs?level=loud`, { headers: bearer(ADMIN) })).status, 400);
    const body = await (await fetch(`${base}/api/ops/logs?level=info&limit=1000`, { headers: bearer(ADMIN) })).json();
    assert.ok(body.capacity > 0);
    assert.ok(
      body.lines.some((l: { msg?: string }) => l.msg === 'DeepStream Realtime listening'),
      JSON.stringify(body.lines.slice(0, 3)),
    );
    assert.ok(
      body.lines.some((l: { action?: string }) => l.action === 'kick_client'),
      'the audit lines of the actions above are in the tail',
    );
  });
});
