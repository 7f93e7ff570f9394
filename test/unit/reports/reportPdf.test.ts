import assert from 'node:assert/strict';
import { reportPdf, type ReportForPdf } from '../../../features/reports/reportPdf.js';
import { metricTiles } from '../../../systems/reports/reportFigures.js';
import { pdfText } from '../../support/pdfText.js';

const zeroBand = { count: 0, share: 0 };

function reportFor(entityName: string, clusterName: string): ReportForPdf {
  const metrics = {
    events: 1234,
    uniqueUsers: 56,
    plays: 789,
    likes: 3,
    visits: 0,
    captures: 2,
    votes: 0,
    attendance: 0,
    purchases: 1,
    revenue: [{ currency: 'NGN', cents: 250_000 }],
  };
  return {
    id: 'r1',
    reportType: 'artist',
    entityName,
    startDate: '2026-11-01T00:00:00.000Z',
    endDate: '2026-11-08T00:00:00.000Z',
    generatedAt: '2026-11-08T00:00:01.000Z',
    generationMs: 12,
    share: { expiresAt: null },
    report: {
      metrics,
      trends: { daily: [{ day: '2026-11-01', events: 1234, uniqueUsers: 56 }], changePercent: { events: 12.5 } },
      leaderboard: { leaderboard: 'artists', rank: 2, previousRank: null, outOf: 9, score: 789, trend: 'new' },
      dna: {
        listenersAnalysed: 56,
        averageMatch: 0.42,
        band: 'moderate',
        distribution: { strong: zeroBand, good: zeroBand, moderate: { count: 56, share: 100 }, weak: zeroBand },
        domains: { spatial: null, cultural: 0.82, economic: 0.5, behavioral: 0.7 },
        topDomain: { domain: 'cultural', averageMatch: 0.82 },
        clusters: [{ name: clusterName, share: 100, averageMatch: 0.42 }],
      },
    },
  };
}

describe('reports: the PDF', () => {
  it('embeds a Unicode font, so Yoruba and other accented names come out as written', async () => {
    const name = 'Ẹ̀gbẹ́ Jùjú Ṣẹ́gun';
    const text = pdfText(await reportPdf(reportFor(name, 'Jùjú & Fújì fans'), null));
    assert.ok(text.includes(`\n${name}\n`), text.slice(0, 300));
    assert.ok(text.includes('Jùjú & Fújì fans'));
  });

  it('holds every key-metric tile as label then value, with the currency of the revenue', async () => {
    const r = reportFor('Wizkid', 'Afrobeats fans');
    const text = pdfText(await reportPdf(r, 'https://example.test/coliseum/reports/shared/abc'));
    const data = r.report as { metrics: Parameters<typeof metricTiles>[0]; trends: { changePercent: Record<string, number | null> } };
    for (const t of metricTiles(data.metrics, data.trends.changePercent).tiles) assert.ok(text.includes(`\n${t.label}\n${t.value}\n`), `${t.label} ${t.value}`);
    assert.ok(text.includes('https://example.test/coliseum/reports/shared/abc'));
    assert.ok(!text.includes('\nVotes\n0\n'), 'no zero tile');
    for (const [name, value] of [
      ['Spatial', '—'],
      ['Cultural', '0.82'],
      ['Economic', '0.50'],
      ['Behavioral', '0.70'],
    ])
      assert.ok(text.includes(`\n${name}\n${value}\n`), `the DNA domain by its name: ${name} ${value}`);
    assert.match(text.replace(/\s+/g, ' '), /top domain: Cultural \(0\.82 avg match\)/, 'a long line wraps');
    assert.ok(text.includes('\nNone in this range: station visits, votes and attendance.\n'), 'the zeros named once');
    assert.match((await reportPdf(r, 'https://example.test/x')).toString('latin1'), /\/Subtype \/Image/, "the share link's QR code is drawn");
  });
});
