import assert from 'node:assert/strict';
import { fitText, previewPoints, sharePreviewSvg, PREVIEW_MAX_LABELS } from '../../../systems/journal/sharePreview.js';

const star = (i: number, x: number, z: number) => ({ id: `s${i}`, artistId: `a${i}`, name: `Artist ${i}`, position: { x, y: 0, z } });

describe('share preview picture (systems/journal/sharePreview)', () => {
  it('centres the stars in the sky panel and keeps them inside it', () => {
    const points = previewPoints([star(0, -300, 40), star(1, 500, -60), star(2, 100, 900)]);
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    assert.ok(Math.min(...xs) >= 680 && Math.max(...xs) <= 1120, `x ${xs}`);
    assert.ok(Math.min(...ys) >= 80 && Math.max(...ys) <= 550, `y ${ys}`);
    assert.ok(Math.abs((Math.min(...xs) + Math.max(...xs)) / 2 - 900) < 1e-9, 'centred across');
    assert.ok(Math.abs((Math.min(...ys) + Math.max(...ys)) / 2 - 315) < 1e-9, 'centred down');
  });

  it('draws a line only between stars it knows (by star or artist id), names at most PREVIEW_MAX_LABELS, escapes text', () => {
    const stars = Array.from({ length: PREVIEW_MAX_LABELS + 3 }, (_, i) => star(i, i * 50, (i % 3) * 70));
    const svg = sharePreviewSvg({ title: "Tọ́lá <&> 's", subtitle: '13 artists', stars, connections: [{ from: 'a0', to: 's1', strength: 1 }, { from: 'a0', to: 'nobody', strength: 1 }] });
    assert.equal(svg.match(/<line /g)?.length, 1);
    assert.equal(svg.match(/>Artist \d+<\/text>/g)?.length, PREVIEW_MAX_LABELS);
    assert.match(svg, /Tọ́lá &#60;&#38;&#62; &#39;s/);
    assert.match(svg, /^<svg [^>]*width="1200" height="630"/);
  });

  it('cuts long names with an ellipsis', () => {
    assert.equal(fitText('Ebenezer Obey', 22), 'Ebenezer Obey');
    assert.equal(fitText('Orchestra Baobab de Dakar et ses amis', 10), 'Orchestra…');
  });
});
