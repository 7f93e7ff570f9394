/**
 * A Coliseum report as a PDF (seed 004 "Export to PDF", "printable format"): the figures the report page
 * shows, formatted the same way (en-US integers, money with its currency, the same labels), so what an
 * artist manager prints or forwards says what the page said. pdfkit with its built-in Helvetica: no font
 * files, no browser.
 */
import PDFDocument from 'pdfkit';

type Band = 'strong' | 'good' | 'moderate' | 'weak';
interface Metrics {
  events: number; uniqueUsers: number; plays: number; likes: number; visits: number; captures: number; votes: number; attendance: number; purchases: number;
  revenue: Array<{ currency: string; cents: number }>;
}
/** The report as reportsRoutes.reportJson answers it (the page reads the same shape). */
export interface ReportForPdf {
  id: string;
  reportType: string;
  entityName: string;
  startDate: string;
  endDate: string;
  generatedAt: string;
  generationMs: number;
  share: { expiresAt: string | null; url?: string };
  report: Record<string, unknown>;
}
interface ReportData {
  metrics: Metrics;
  trends: { daily: Array<{ day: string; events: number; uniqueUsers: number }>; changePercent: Record<string, number | null> };
  leaderboard: { leaderboard: string; rank: number | null; previousRank: number | null; outOf: number; score: number; trend: string | null } | null;
  dna: {
    listenersAnalysed: number; averageMatch: number; band: Band | null;
    distribution: Record<Band, { count: number; share: number }>;
    domains: Record<string, number | null>;
    topDomain: { domain: string; averageMatch: number } | null;
    clusters: Array<{ name: string; share: number; averageMatch: number }>;
  };
}

const BANDS: Band[] = ['strong', 'good', 'moderate', 'weak'];
const ORANGE = '#FF6B35';
export const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const money = (cents: number, currency: string): string => `${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
const change = (pct: number | null | undefined): string => (pct === null || pct === undefined ? 'new' : `${pct > 0 ? '+' : ''}${pct.toFixed(1)}% vs previous`);

/** The key-metric tiles as the page labels and formats them (label, value, change or null). */
export function metricTiles(data: Pick<ReportData, 'metrics' | 'trends'>): Array<[string, string, string | null]> {
  const m = data.metrics;
  const c = data.trends.changePercent;
  const revenue = m.revenue.length ? m.revenue.map((x) => money(x.cents, x.currency)).join(' · ') : '0.00';
  return [
    ['Events', fmtInt(m.events), change(c.events)],
    ['Unique users', fmtInt(m.uniqueUsers), change(c.uniqueUsers)],
    ['Plays', fmtInt(m.plays), change(c.plays)],
    ['Votes', fmtInt(m.votes), change(c.votes)],
    ['Attendance', fmtInt(m.attendance), change(c.attendance)],
    ['Likes', fmtInt(m.likes), null],
    ['Captures', fmtInt(m.captures), null],
    ['Revenue', revenue, null],
  ];
}

/** Renders the report; resolves with the whole file. */
export function reportPdf(r: ReportForPdf, shareUrl: string | null): Promise<Buffer> {
  const data = r.report as unknown as ReportData;
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${r.entityName} · Coliseum report`, Author: 'DeepStream Coliseum', CreationDate: new Date(r.generatedAt) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  header(doc, r);
  heading(doc, 'Key metrics');
  for (const [label, value, delta] of metricTiles(data)) line(doc, label, value, delta);
  heading(doc, 'Leaderboard position');
  const lb = data.leaderboard;
  if (lb) {
    doc.font('Helvetica-Bold').fontSize(16).fillColor('#000').text(lb.rank ? `#${lb.rank}` : 'unranked');
    doc.font('Helvetica').fontSize(10).text(`${lb.leaderboard} · of ${fmtInt(lb.outOf)} · score ${fmtInt(lb.score)}`);
    doc.text(`previous range: ${lb.previousRank ? `#${lb.previousRank}` : 'unranked'} · trend ${lb.trend ?? '—'}`);
  } else doc.font('Helvetica').fontSize(10).text('No leaderboard ranks this kind of subject.');
  heading(doc, 'Daily trend (events and unique users per day, UTC)');
  if (!data.trends.daily.length) doc.font('Helvetica').fontSize(10).text('No events in this range.');
  for (const d of data.trends.daily) line(doc, d.day, `${fmtInt(d.events)} events`, `${fmtInt(d.uniqueUsers)} users`);
  dnaSection(doc, data.dna);
  if (shareUrl) {
    heading(doc, 'Share link');
    doc.font('Helvetica').fontSize(9).fillColor('#333').text(shareUrl, { link: shareUrl });
    if (r.share.expiresAt) doc.text(`valid until ${r.share.expiresAt.replace('T', ' ').slice(0, 16)} UTC`);
  }
  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, r: ReportForPdf): void {
  doc.font('Helvetica-Bold').fontSize(22).fillColor(ORANGE).text('Coliseum report');
  doc.font('Helvetica-Bold').fontSize(14).fillColor('#000').text(r.entityName);
  doc.font('Helvetica').fontSize(10).fillColor('#444').text(`${r.reportType} · ${r.startDate.slice(0, 10)} to ${r.endDate.slice(0, 10)} · generated ${r.generatedAt.replace('T', ' ').slice(0, 16)} UTC in ${r.generationMs} ms`);
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor(ORANGE).text(text).moveDown(0.2);
}

/** One row: label left, value and note in columns. */
function line(doc: PDFKit.PDFDocument, label: string, value: string, note: string | null): void {
  const y = doc.y;
  const left = doc.page.margins.left;
  doc.font('Helvetica').fontSize(10).fillColor('#000').text(label, left, y, { width: 160 });
  doc.font('Helvetica-Bold').text(value, left + 170, y, { width: 170 });
  if (note) doc.font('Helvetica').fillColor('#555').text(note, left + 350, y, { width: 150 });
  doc.x = left;
  doc.y = Math.max(doc.y, y + 14);
}

function dnaSection(doc: PDFKit.PDFDocument, d: ReportData['dna']): void {
  heading(doc, 'Audience DNA insights');
  const band = d.band ? ` (${d.band} alignment)` : '';
  const top = d.topDomain ? ` · top domain: ${d.topDomain.domain} (${d.topDomain.averageMatch.toFixed(2)} avg match)` : '';
  doc.font('Helvetica').fontSize(10).fillColor('#000').text(`${fmtInt(d.listenersAnalysed)} unique listeners analysed · average DNA match ${d.averageMatch.toFixed(2)}${band}${top}`);
  doc.moveDown(0.3);
  for (const b of BANDS) line(doc, b, `${d.distribution[b].share}%`, `${fmtInt(d.distribution[b].count)} listeners`);
  doc.moveDown(0.3);
  for (const [name, v] of Object.entries(d.domains)) line(doc, name, v === null ? '—' : v.toFixed(2), null);
  if (d.clusters.length) {
    doc.moveDown(0.3).font('Helvetica-Bold').fontSize(10).text('Audience clusters');
    for (const c of d.clusters) line(doc, c.name, `${c.share}%`, `match ${c.averageMatch.toFixed(2)}`);
  }
}
