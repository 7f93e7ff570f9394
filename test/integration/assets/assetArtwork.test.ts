import assert from 'node:assert/strict';
import sharp from 'sharp';
import { useServer } from '../../support/serverProcess.js';

const ADMIN = 'admin-token-for-artwork-0123456789';
// Two artists per run still shows distinct palettes and a second run drawing the next ones; each drawn artist is
// four PNGs up to 2048², the file's main cost.
const PER_RUN = 2;
const auth = { authorization: `Bearer ${ADMIN}` };

interface JobRun {
  trigger: string;
  outcome: string;
  rows: number;
}

describe('generated artist artwork: every station gets a picture through the asset pipeline', function () {
  this.timeout(120_000);
  const running = useServer({ ADMIN_TOKEN: ADMIN, ASSET_ARTWORK: 'true', ASSET_ARTWORK_PER_RUN: String(PER_RUN), TRANSPORT: 'uws' });
  const base = () => running().server.baseUrl;

  async function runs(): Promise<JobRun[]> {
    return (await (await fetch(`${base()}/api/ops/jobs/artist_artwork/runs`, { headers: auth })).json()).runs;
  }

  async function finishedRuns(count: number): Promise<JobRun[]> {
    for (let i = 0; i < 600; i++) {
      const list = await runs();
      if (list.filter((r) => r.outcome !== 'running').length >= count) return list;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the artwork job did not finish ${count} run(s): ${JSON.stringify(await runs())}`);
  }

  async function dialArtists(): Promise<Array<{ frequency: number; artistId: string }>> {
    const body = await (await fetch(`${base()}/api/stations`)).json();
    return (body.stations ?? body) as Array<{ frequency: number; artistId: string }>;
  }

  it('draws the first artists on the dial after boot: four PNG variants each, a palette, distinct between artists', async () => {
    const [first] = await finishedRuns(1);
    assert.deepEqual([first.trigger, first.outcome, first.rows], ['manual', 'succeeded', PER_RUN]);
    const drawn = (await dialArtists()).slice(0, PER_RUN);
    const palettes: string[] = [];
    for (const { artistId } of drawn) {
      const assets = await (await fetch(`${base()}/api/artists/${artistId}/assets`)).json();
      assert.equal(assets.status, 'ready', JSON.stringify(assets));
      assert.ok(assets.palette.length >= 2, `${artistId}: ${JSON.stringify(assets.palette)}`);
      palettes.push(assets.palette.join(' '));
      for (const [variant, side] of [
        ['@3x', 2048],
        ['@2x', 1024],
        ['@1x', 512],
        ['thumbnail', 256],
      ] as const) {
        const res = await fetch(`${base()}/api/artists/${artistId}/image/${encodeURIComponent(variant)}`);
        assert.equal(res.status, 200, `${artistId} ${variant}`);
        const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
        assert.deepEqual([meta.format, meta.width, meta.height], ['png', side, side]);
      }
    }
    assert.equal(new Set(palettes).size, palettes.length, `each artist its own colours: ${palettes.join(' | ')}`);
  });

  it('a station points at its drawn picture; an artist not drawn yet keeps its placeholder and 404s', async () => {
    const dial = await dialArtists();
    const station = await (await fetch(`${base()}/api/stations/${dial[0].frequency}`)).json();
    assert.equal(station.artist.hero_image, `/api/artists/${dial[0].artistId}/image/%402x`);
    // Hostile path segments: a coded answer naming nothing, never a 500.
    const answers: string[] = [];
    for (const id of ['artist_wizkid%00', 'artist_%ED%A0%80', '%E0%A4%A', '%F0%9F%98%80'.repeat(60)]) {
      const res = await fetch(`${base()}/api/artists/${id}/image/thumbnail`);
      answers.push(`${res.status} ${((await res.json()) as { error: string }).error}`);
    }
    assert.ok(
      answers.every((a) => /^(400 VALIDATION_FAILED|404 NOT_FOUND)$/.test(a)),
      answers.join(', '),
    );
    const later = dial[PER_RUN + 1];
    assert.equal((await fetch(`${base()}/api/artists/${later.artistId}/image/thumbnail`)).status, 404);
  });

  it('run now draws the next artists, never the ones already drawn', async () => {
    const res = await fetch(`${base()}/api/ops/jobs/artist_artwork/run`, { method: 'POST', headers: auth });
    assert.equal(res.status, 202, await res.text());
    const list = await finishedRuns(2);
    assert.deepEqual([list[0].outcome, list[0].rows], ['succeeded', PER_RUN]);
    const dial = await dialArtists();
    for (const { artistId } of dial.slice(0, 2 * PER_RUN))
      assert.equal((await fetch(`${base()}/api/artists/${artistId}/image/thumbnail`)).status, 200, artistId);
    assert.equal((await fetch(`${base()}/api/artists/${dial[2 * PER_RUN].artistId}/image/thumbnail`)).status, 404);
  });
});
