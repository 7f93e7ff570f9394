import assert from 'node:assert/strict';
import type { Room } from '@colyseus/sdk';
import { useServer } from '../../support/serverProcess.js';
import { bearer, postJson, signIn, type SignedIn } from '../../support/auth.js';
import { nextMessage } from '../../support/rooms.js';
import { joinSession, leaveQuietly } from '../../support/session.js';

const ADMIN = 'admin-token-for-journal-0123456789';

/** Journal and shares over HTTP on real Postgres. */
describe('constellation journal and shares over HTTP (seed 000 steps 8, 16)', function () {
  this.timeout(60_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN });
  const url = (path: string) => `${running().server.baseUrl}${path}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the body's shape
  const getJson = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> => {
    const res = await fetch(url(path), { headers });
    return { status: res.status, body: await res.json() };
  };
  let owner: SignedIn;
  let viewer: SignedIn;
  let ownerRoom: Room;
  let viewerRoom: Room;
  let shareId = '';

  before(async () => {
    owner = await signIn(running().server.baseUrl);
    viewer = await signIn(running().server.baseUrl);
    ownerRoom = (await joinSession(running().server.baseUrl, {}, owner)).room;
    viewerRoom = (await joinSession(running().server.baseUrl, {}, viewer)).room;
  });
  after(async () => {
    await leaveQuietly(ownerRoom);
    await leaveQuietly(viewerRoom);
  });

  const capture = async (room: Room, artistId?: string) => {
    const captured = nextMessage(room, 'captured');
    room.send('capture', artistId ? { artistId } : {});
    return captured;
  };

  it('GET /api/constellations/me needs an access token (401), refuses the admin token (403)', async () => {
    const none = await fetch(url('/api/constellations/me'));
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    assert.equal((await getJson('/api/constellations/me', bearer('not-a-token'))).status, 401);
    assert.equal((await getJson('/api/constellations/me', bearer(ADMIN))).status, 403);
  });

  it('an empty constellation, then the journal after each live capture (the cache is dropped by the capture)', async () => {
    const empty = await getJson('/api/constellations/me', bearer(owner.accessToken));
    assert.equal(empty.status, 200, JSON.stringify(empty.body));
    assert.equal(empty.body.statistics.totalStars, 0);
    assert.deepEqual(empty.body.insights, ['Capture your first star to start your constellation']);

    const locked = nextMessage(ownerRoom, 'locked');
    ownerRoom.send('tune', { frequency: 105.5 });
    await locked;
    assert.equal((await capture(ownerRoom)).star.artistId, 'artist_burna_boy');
    const one = await getJson('/api/constellations/me', bearer(owner.accessToken));
    assert.deepEqual(
      one.body.stars.map((s: { artist: { id: string } }) => s.artist.id),
      ['artist_burna_boy'],
      'the cached empty journal was dropped',
    );

    await capture(ownerRoom, 'artist_fela_kuti');
    const two = (await getJson('/api/constellations/me', bearer(owner.accessToken))).body;
    assert.deepEqual(
      two.stars.map((s: { artist: { name: string } }) => s.artist.name),
      ['Burna Boy', 'Fela Kuti'],
    );
    assert.equal(two.stars[1].artist.station, 102.7);
    assert.equal(two.statistics.totalStars, 2);
    assert.equal(two.statistics.journey.firstStar, 'Burna Boy');
    assert.equal(two.statistics.journey.newestStar, 'Fela Kuti');
    assert.ok(two.connections.length >= 1, 'Fela Kuti came from Burna Boy: a line');
    assert.equal(two.clusters.length, 1, 'k = ⌈√(2/2)⌉ = 1');
    assert.equal(two.layout.camera.fieldOfView, 45);
    assert.equal(two.layout.camera.position.z, two.layout.center.z + 300);
    assert.equal(two.insights.at(-1).startsWith('2 stars captured'), true, JSON.stringify(two.insights));
  });

  it('each user reads only their own journal: the token decides, no path names another user', async () => {
    const mine = (await getJson('/api/constellations/me', bearer(viewer.accessToken))).body;
    assert.equal(mine.statistics.totalStars, 0, "the viewer does not see the owner's stars");
    assert.equal((await getJson(`/api/constellations/${owner.userId}`, bearer(viewer.accessToken))).status, 404);
  });

  it('an offline capture drops the cached journal too', async () => {
    assert.equal((await getJson('/api/constellations/me', bearer(viewer.accessToken))).body.statistics.totalStars, 0);
    const synced = nextMessage(viewerRoom, 'offline_synced');
    viewerRoom.send('sync_offline', {
      operations: [{ opId: 'off-1', type: 'capture_star', artistId: 'artist_fela_kuti', occurredAt: Date.now() - 1000, discoveryPath: [] }],
    });
    assert.equal((await synced).applied, 1);
    const after = (await getJson('/api/constellations/me', bearer(viewer.accessToken))).body;
    assert.deepEqual(
      after.stars.map((s: { artist: { id: string } }) => s.artist.id),
      ['artist_fela_kuti'],
    );
  });

  it('POST /api/constellations/share: 401 without a token, 400 with field details, 201 with a 128-bit id and 30-day expiry', async () => {
    assert.equal((await postJson(running().server.baseUrl, '/api/constellations/share', {})).status, 401);
    const bad = await postJson(
      running().server.baseUrl,
      '/api/constellations/share',
      { message: 'x'.repeat(281), userId: owner.userId },
      bearer(owner.accessToken),
    );
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.details.map((d: { field: string }) => d.field).sort(), ['message', 'userId']);
    const before = Date.now();
    const res = await postJson(running().server.baseUrl, '/api/constellations/share', { message: 'Check out my musical journey!' }, bearer(owner.accessToken));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    shareId = res.body.shareId;
    assert.match(shareId, /^[A-Za-z0-9_-]{22}$/, '16 random bytes, base64url');
    assert.equal(res.body.shareUrl, `/shared/${shareId}`);
    const days = (Date.parse(res.body.expiresAt) - before) / 86_400_000;
    assert.ok(days > 29.99 && days < 30.01, `expires in ${days} days`);
    assert.equal(
      res.body.socialMetadata.ogDescription,
      '2 artists spanning 5 decades of music',
      'demo eras: Fela Kuti 1970s (seed: 1970s-1990s), Burna Boy 2010s',
    );
  });

  it('GET /api/shared/:id is public, counts views, and compares with a signed-in viewer (step 16.5)', async () => {
    const anon = await getJson(`/api/shared/${shareId}`);
    assert.equal(anon.status, 200, JSON.stringify(anon.body));
    assert.equal(anon.body.views, 1);
    assert.deepEqual(anon.body.viewer, { isLoggedIn: false });
    assert.equal(anon.body.message, 'Check out my musical journey!');
    assert.deepEqual(
      anon.body.constellation.stars.map((s: { artist: { name: string } }) => s.artist.name),
      ['Burna Boy', 'Fela Kuti'],
    );
    assert.equal(anon.body.owner.displayName, 'A listener', 'an owner who gave no name');

    const signedIn = await getJson(`/api/shared/${shareId}`, bearer(viewer.accessToken));
    assert.equal(signedIn.body.views, 2);
    // The viewer has Fela Kuti; the share has Burna Boy and Fela Kuti: overlap 1, similarity 1 / max(2, 1).
    assert.equal(signedIn.body.viewer.overlapCount, 1);
    assert.equal(signedIn.body.viewer.similarityScore, 0.5);
    assert.deepEqual(signedIn.body.viewer.recommendations, [
      { artistId: 'artist_burna_boy', artist: 'Burna Boy', reason: 'In shared constellation but not yours' },
    ]);
    const [row] = await running().db.sql.query<{ views: number }>('SELECT views FROM constellation_shares WHERE id = ?', [shareId]);
    assert.equal(row.views, 2);
    const stale = await getJson(`/api/shared/${shareId}`, bearer('expired-or-forged'));
    assert.deepEqual(stale.body.viewer, { isLoggedIn: false }, 'a bad token still sees the public share, without a comparison');
  });

  it("names the owner by their MediaID display name to friends only, and serves the 1200×630 preview picture the page's og:image points at", async () => {
    const put = await fetch(url('/api/mediaid/me'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(owner.accessToken) },
      body: JSON.stringify({ displayName: 'Adaeze' }),
    });
    assert.equal(put.status, 200, await put.text());
    const nameAs = async (who?: SignedIn) => (await getJson(`/api/shared/${shareId}`, who ? bearer(who.accessToken) : {})).body.owner.displayName;
    assert.equal(await nameAs(), 'A listener', 'anonymised for someone not signed in');
    assert.equal(await nameAs(viewer), 'A listener', 'anonymised for a listener who is not a friend');
    assert.equal(await nameAs(owner), 'Adaeze', 'the owner sees their own name');
    assert.equal((await postJson(running().server.baseUrl, `/api/friends/${owner.userId}`, {}, bearer(viewer.accessToken))).body.state, 'requested');
    assert.equal((await postJson(running().server.baseUrl, `/api/friends/${viewer.userId}`, {}, bearer(owner.accessToken))).body.state, 'friends');
    assert.equal(await nameAs(viewer), 'Adaeze', 'a friend sees the name');
    const html = await (await fetch(url(`/shared/${shareId}`))).text();
    assert.match(html, /<title>A listener&#39;s Musical Constellation · 2 stars · DeepStream<\/title>/, 'a link preview is for anyone: no name');
    assert.match(html, new RegExp(`<meta property="og:url" content="${url(`/shared/${shareId}`)}">`));
    const image = /<meta property="og:image" content="([^"]+)">/.exec(html)?.[1];
    assert.equal(image, url(`/api/shared/${shareId}/preview.png`));
    assert.match(html, /<meta name="twitter:card" content="summary_large_image">/);
    assert.match(html, new RegExp(`<meta name="twitter:image" content="${image!.replace(/[.?]/g, '\\$&')}">`));
    const png = await fetch(image!);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const { default: sharp } = await import('sharp');
    const meta = await sharp(Buffer.from(await png.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 1200, 630]);
    const [row] = await running().db.sql.query<{ views: number }>('SELECT views FROM constellation_shares WHERE id = ?', [shareId]);
    assert.equal(row.views, 7, 'the page head and the picture count no view; the four GET /api/shared/:id above do');
    assert.equal((await fetch(url('/api/shared/AAAAAAAAAAAAAAAAAAAAAA/preview.png'))).status, 404);
    assert.equal((await fetch(url('/api/shared/bad/preview.png'))).status, 400);
  });

  it('concurrent views are all counted (one atomic UPDATE each)', async () => {
    const [before] = await running().db.sql.query<{ views: number }>('SELECT views FROM constellation_shares WHERE id = ?', [shareId]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => getJson(`/api/shared/${shareId}`)));
    assert.ok(answers.every((a) => a.status === 200));
    const [after] = await running().db.sql.query<{ views: number }>('SELECT views FROM constellation_shares WHERE id = ?', [shareId]);
    assert.equal(after.views, before.views + 10);
  });

  it('the snapshot is frozen: a later capture does not change the share', async () => {
    await capture(ownerRoom, 'artist_wizkid');
    const shared = (await getJson(`/api/shared/${shareId}`)).body;
    assert.equal(shared.constellation.stars.length, 2);
    assert.equal((await getJson('/api/constellations/me', bearer(owner.accessToken))).body.stars.length, 3);
  });

  it('unknown → 404, malformed → 400, expired → 410 with a message; no stars → 409', async () => {
    const unknown = await getJson('/api/shared/AAAAAAAAAAAAAAAAAAAAAA');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'NOT_FOUND');
    const malformed = await getJson('/api/shared/short');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.details[0].field, 'id');
    await running().db.sql.query(`UPDATE constellation_shares SET expires_at = now() - interval '1 minute' WHERE id = ?`, [shareId]);
    const gone = await getJson(`/api/shared/${shareId}`);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error, 'GONE');
    assert.match(gone.body.message, /expired on .*share it again/);
    const [row] = await running().db.sql.query<{ views: number }>('SELECT views FROM constellation_shares WHERE id = ?', [shareId]);
    assert.equal(row.views, 18, 'an expired share counts no view');
    const nobody = await signIn(running().server.baseUrl);
    const empty = await postJson(running().server.baseUrl, '/api/constellations/share', {}, bearer(nobody.accessToken));
    assert.equal(empty.status, 409);
    assert.match(empty.body.message, /capture one before sharing/);
  });
});
