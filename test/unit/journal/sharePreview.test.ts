import assert from 'node:assert/strict';
import { fitText, ownerTitle, previewSky, sharePreviewSvg } from '../../../systems/journal/sharePreview.js';
import { overlaps } from '../../../systems/constellation/skyLabels.js';

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
      subtitle: '13 artists',
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
    const one = sharePreviewSvg({ owner: 'Ada', subtitle: '1 artist', stars: [star(0, 0, 0, 0)], connections: [] });
    assert.equal(one.match(/<ellipse /g)?.length, 3, 'three rings around the first star');
    assert.ok((one.match(/<circle [^>]*fill="#E0DEF4"/g)?.length ?? 0) >= 100, 'background stars');
    assert.match(one, /r="13\.0" fill="#FFF4E0"/, 'a large core');
    assert.equal(one.match(/Artist 0</g)?.length, 2, 'named by the star and in the list');
    const many = sharePreviewSvg({
      owner: 'Ada',
      subtitle: '12 artists',
      stars: Array.from({ length: 12 }, (_, i) => star(i, i * 40, i * 10, 0)),
      connections: [],
    });
    assert.equal(many.match(/<ellipse /g), null, 'a full sky needs no rings');
    assert.doesNotMatch(many, /★ /);
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
