import assert from 'node:assert/strict';
import { fitText, ownerTitle, previewSky, sharePreviewSvg } from '../../../systems/journal/sharePreview.js';
import { overlaps } from '../../../systems/constellation/skyLabels.js';
import { starGlowColor } from '../../../systems/journal/style.js';

const star = (i: number, x: number, y: number, z: number) => ({ id: `s${i}`, artistId: `a${i}`, name: `Artist ${i}`, position: { x, y, z } });

describe('share preview picture (systems/journal/sharePreview)', () => {
  it('fills the sky panel with the stars, inside it', () => {
    const sky = previewSky([star(0, -300, 0, 40), star(1, 500, 100, -60), star(2, 100, -200, 900)], []);
    const pts = [...sky.points.values()];
    const xs = pts.map((p) => p.x);
    const ys = pts.map((p) => p.y);
    assert.ok(Math.min(...xs) >= 0 && Math.max(...xs) <= 480, `x ${xs}`);
    assert.ok(Math.min(...ys) >= 0 && Math.max(...ys) <= 530, `y ${ys}`);
    assert.ok(Math.max(...xs) - Math.min(...xs) > 400, `fills across: ${xs}`);
    assert.ok(Math.max(...ys) - Math.min(...ys) > 400, `fills down: ${ys}`);
  });

  it('draws a line only between stars it knows (by star or artist id), every name that fits, escapes text', () => {
    const stars = Array.from({ length: 13 }, (_, i) => star(i, i * 50, (i % 4) * 60, (i % 3) * 70));
    const svg = sharePreviewSvg({
      owner: 'Tọ́lá <&>',
      message: null,
      days: 1,
      stars,
      connections: [
        { from: 'a0', to: 's1', strength: 1 },
        { from: 'a0', to: 'nobody', strength: 1 },
      ],
    });
    assert.equal(svg.match(/<line [^>]*stroke="#F6C177"/g)?.length, 1);
    assert.ok((svg.match(/>Artist \d+<\/text>/g)?.length ?? 0) >= 10, 'most names find a spot');
    assert.match(svg, /Tọ́lá &#60;&#38;&#62;&#39;s/);
    assert.match(svg, /^<svg [^>]*width="1200" height="630"/);
  });

  for (const n of [1, 2, 15, 50]) {
    it(`${n} star(s): no two names overlap and none leaves the panel`, () => {
      const stars = Array.from({ length: n }, (_, i) =>
        star(i, (i % 7) * 100 - 80 * Math.floor(i / 7), Math.floor(i / 7) * 100 * (i % 2 ? 1 : -1), (i % 3) * 30),
      );
      const { labels } = previewSky(stars, []);
      const boxes = [...labels.values()].filter((b) => b !== null);
      assert.ok(boxes.length >= Math.min(n, 12), `placed ${boxes.length} of ${n}`);
      for (const [i, b] of boxes.entries()) {
        assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.w <= 480 && b.y + b.h <= 530, JSON.stringify(b));
        for (const c of boxes.slice(i + 1)) assert.ok(!overlaps(b, c), `${JSON.stringify(b)} × ${JSON.stringify(c)}`);
      }
    });
  }

  it('a young sky (1 to 3 stars) is the picture: large stars in orbit rings on a night of faint stars, each named beside the count too', () => {
    const one = sharePreviewSvg({ owner: 'Ada', message: null, days: 1, stars: [star(0, 0, 0, 0)], connections: [] });
    assert.equal(one.match(/<ellipse /g)?.length, 3, 'three rings around the first star');
    assert.ok((one.match(/<circle [^>]*fill="#E0DEF4"/g)?.length ?? 0) >= 100, 'background stars');
    assert.match(one, /<path d="M[^"]+Q[^"]+Z" fill="url\(#g0-core\)"\/>/, 'a glint, not a dot');
    assert.equal(one.match(/Artist 0</g)?.length, 2, 'named by the star and under the title');
    const many = sharePreviewSvg({
      owner: 'Ada',
      message: null,
      days: 1,
      stars: Array.from({ length: 12 }, (_, i) => star(i, i * 40, i * 10, 0)),
      connections: [],
    });
    assert.equal(many.match(/<ellipse /g), null, 'a full sky needs no rings');
    assert.match(many, /Artist 0, Artist 1, Artist 2 and 9 more/, 'with no message the card names the first stars');
  });

  it("quotes the owner's message under the title, the figures under it, and draws each star as a glint in its artist's colour", () => {
    const stars = Array.from({ length: 16 }, (_, i) => star(i, (i % 4) * 120, Math.floor(i / 4) * 110, (i % 3) * 40));
    const message =
      'Three weeks of late-night tuning, from Fela to Black Coffee. Start with Sade and see where it takes you, friend; then tell me what you found';
    const svg = sharePreviewSvg({
      owner: 'Ngozi',
      message,
      days: 21,
      stars,
      connections: [
        { from: 'a0', to: 'a1', strength: 0.9 },
        { from: 'a1', to: 'a2', strength: 0.8 },
      ],
    });
    const quoted = [...svg.matchAll(/<text [^>]*font-style="italic"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    assert.ok(quoted.length >= 2 && quoted.length <= 3, `the message on 2-3 lines: ${quoted.join(' / ')}`);
    assert.ok(quoted[0].startsWith('“Three weeks of late-night'), quoted[0]);
    assert.ok(quoted.at(-1)!.endsWith('…'), 'a message longer than three lines is cut with an ellipsis');
    const figures = [...svg.matchAll(/font-size="52" font-weight="bold" fill="#F6C177">([^<]*)<\/text><text [^>]*>([A-Z]+)</g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(figures, ['16 STARS', '2 LINES', '21 DAYS']);
    assert.equal(svg.match(/<path d="M/g)?.length, 16, 'every star a glint');
    assert.ok((svg.match(/<radialGradient id="g\d+-core">/g)?.length ?? 0) > 1, "in their artists' colours, not one");
  });

  it("paints each star in the colour it is given (its cluster's, as the share page paints it), else its artist's", () => {
    const stars = [star(0, 0, 0, 0), star(1, 100, 0, 0), star(2, 0, 300, 0)];
    const svg = sharePreviewSvg({
      owner: 'Ngozi',
      message: null,
      days: 1,
      stars,
      connections: [],
      colors: new Map([
        ['a0', '#123456'],
        ['a1', '#123456'],
      ]),
    });
    const cores = [...svg.matchAll(/<radialGradient id="g\d+-core"><stop [^>]*\/><stop offset="1" stop-color="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(cores, ['#123456', starGlowColor('a2')]);
  });

  it("titles the card with the owner's whole name when it fits, else their first name, always with the possessive", () => {
    assert.equal(ownerTitle('Adaeze Okonkwo'), "Adaeze Okonkwo's");
    assert.equal(ownerTitle('Maximilian Oluwaseun Bartholomew-Adeyemi'), "Maximilian's");
    assert.match(ownerTitle('Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft Smith'), /^Wolfe.*…'s$/);
    assert.ok(ownerTitle('Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft').length < 30);
  });

  it('cuts long names with an ellipsis', () => {
    assert.equal(fitText('Ebenezer Obey', 22), 'Ebenezer Obey');
    assert.equal(fitText('Orchestra Baobab de Dakar et ses amis', 10), 'Orchestra…');
  });
});
