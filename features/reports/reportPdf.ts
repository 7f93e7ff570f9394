/**
 * A Coliseum report as a PDF (seed 004 "Export to PDF", "printable format"): the figures the report page
 * shows, formatted the same way (en-US integers, money with its currency, the same labels), so what an
 * artist manager prints or forwards says what the page said. pdfkit with DejaVu Sans embedded (from the
 * dejavu-fonts-ttf package): the built-in Helvetica is WinAnsi only and drops names such as "Ẹ̀gbẹ́" or
 * "Ṣẹ́gun"; no browser.
 */
import { join } from 'node:path';
import {
  BANDS,
  changeText,
  fmtMatch,
  fmtInt,
  metricTiles,
  NO_RANK_TEXT,
  rankCard,
  type Band,
  type ReportLeaderboard,
  type ReportMetrics,
} from '../../systems/reports/reportFigures.js';
import { campaignLines, standingLines, standingsHeadline } from '../../systems/reports/reportSections.js';
import type { CampaignFigures } from '../../systems/reports/campaign.js';
import type { Standings } from '../../systems/reports/tournament.js';
import { BUNDLED_FONT_DIR } from '../assets/svgRaster.js';

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
  metrics: ReportMetrics;
  trends: { daily: Array<{ day: string; events: number; uniqueUsers: number }>; changePercent: Record<string, number | null> };
  leaderboard: ReportLeaderboard | null;
  dna: {
    listenersAnalysed: number;
    averageMatch: number;
    band: Band | null;
    distribution: Record<Band, { count: number; share: number }>;
    domains: Record<string, number | null>;
    topDomain: { domain: string; averageMatch: number } | null;
    clusters: Array<{ name: string; share: number; averageMatch: number }>;
  };
  tournament?: Standings & { leaderboard: string };
  campaign?: CampaignFigures;
}

const ORANGE = '#FF6B35';

const REGULAR = 'DejaVu';
const BOLD = 'DejaVu-Bold';

/**
 * pdfkit and qrcode, loaded by the first PDF: loading them (pdfkit inflates its font tables) cost every
 * process ~0.15 s of CPU at boot, whether it ever renders a report or not.
 */
const pdfLibraries = () =>
  Promise.all([import('pdfkit'), import('qrcode')]).then(([pdfkit, qrcode]) => ({ PDFDocument: pdfkit.default, QRCode: qrcode.default }));

/** Renders the report; resolves with the whole file. */
export async function reportPdf(r: ReportForPdf, shareUrl: string | null): Promise<Buffer> {
  const { PDFDocument, QRCode } = await pdfLibraries();
  // The same QR code as the page's Share & export card: a printed report opens on a phone.
  const qr = shareUrl ? await QRCode.toBuffer(shareUrl, { margin: 1, width: 360, errorCorrectionLevel: 'M' }) : null;
  const data = r.report as unknown as ReportData;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 48,
    info: { Title: `${r.entityName} · Coliseum report`, Author: 'DeepStream Coliseum', CreationDate: new Date(r.generatedAt) },
  });
  doc.registerFont(REGULAR, join(BUNDLED_FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont(BOLD, join(BUNDLED_FONT_DIR, 'DejaVuSans-Bold.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  header(doc, r);
  heading(doc, 'Key metrics');
  for (const t of metricTiles(data.metrics, data.trends.changePercent)) line(doc, t.label, t.value, t.change === undefined ? null : changeText(t.change));
  positionSection(doc, data);
  heading(doc, 'Daily trend (events and unique users per day, UTC)');
  if (!data.trends.daily.length) doc.font(REGULAR).fontSize(10).text('No events in this range.');
  for (const d of data.trends.daily) line(doc, d.day, `${fmtInt(d.events)} events`, `${fmtInt(d.uniqueUsers)} users`);
  dnaSection(doc, data.dna);
  if (shareUrl) {
    // The heading, the code and the link stay together on one page.
    if (qr && doc.y + 190 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    heading(doc, 'Share link');
    if (qr) {
      const top = doc.y;
      doc.image(qr, doc.page.margins.left, top, { width: 120 });
      doc.y = top + 126;
    }
    doc.font(REGULAR).fontSize(9).fillColor('#333').text(shareUrl, doc.page.margins.left, doc.y, { link: shareUrl });
    if (r.share.expiresAt) doc.text(`valid until ${r.share.expiresAt.replace('T', ' ').slice(0, 16)} UTC`);
  }
  doc.end();
  return done;
}

/** The rank card, or what stands in for it: a tournament's standings, a campaign's funnel and return (as the page). */
function positionSection(doc: PDFKit.PDFDocument, data: ReportData): void {
  if (data.tournament) {
    heading(doc, 'Tournament standings');
    doc.font(BOLD).fontSize(10).fillColor('#000').text(standingsHeadline(data.tournament));
    doc.font(REGULAR).fontSize(9).fillColor('#555').text(data.tournament.leaderboard).moveDown(0.3);
    for (const l of standingLines(data.tournament)) line(doc, `${l.rank} ${l.city}`, `${l.engagement} · ${l.share}`, l.previous);
    return;
  }
  if (data.campaign) {
    heading(doc, 'Campaign funnel and return');
    for (const l of campaignLines(data.campaign)) line(doc, l.label, l.value, l.note);
    return;
  }
  heading(doc, 'Leaderboard position');
  const card = rankCard(data.leaderboard);
  if (card) {
    doc.font(BOLD).fontSize(16).fillColor('#000').text(card.headline);
    doc.font(REGULAR).fontSize(10).text(card.detail);
    doc.text(card.previous);
  } else doc.font(REGULAR).fontSize(10).text(NO_RANK_TEXT);
}

function header(doc: PDFKit.PDFDocument, r: ReportForPdf): void {
  doc.font(BOLD).fontSize(22).fillColor(ORANGE).text('Coliseum report');
  doc.font(BOLD).fontSize(14).fillColor('#000').text(r.entityName);
  doc
    .font(REGULAR)
    .fontSize(10)
    .fillColor('#444')
    .text(
      `${r.reportType.replace('_', ' ')} · ${r.startDate.slice(0, 10)} to ${r.endDate.slice(0, 10)} · generated ${r.generatedAt.replace('T', ' ').slice(0, 16)} UTC in ${r.generationMs} ms`,
    );
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8).font(BOLD).fontSize(12).fillColor(ORANGE).text(text).moveDown(0.2);
}

/** One row: label left, value and note in columns. */
function line(doc: PDFKit.PDFDocument, label: string, value: string, note: string | null): void {
  const y = doc.y;
  const left = doc.page.margins.left;
  // A label may wrap: the row ends below the tallest of its cells.
  doc.font(REGULAR).fontSize(10).fillColor('#000').text(label, left, y, { width: 160 });
  let bottom = doc.y;
  doc.font(BOLD).text(value, left + 170, y, { width: 170 });
  bottom = Math.max(bottom, doc.y);
  if (note)
    doc
      .font(REGULAR)
      .fillColor('#555')
      .text(note, left + 350, y, { width: 150 });
  doc.x = left;
  doc.y = Math.max(doc.y, bottom, y + 14);
}

function dnaSection(doc: PDFKit.PDFDocument, d: ReportData['dna']): void {
  heading(doc, 'Audience DNA insights');
  const band = d.band ? ` (${d.band} alignment)` : '';
  const top = d.topDomain ? ` · top domain: ${d.topDomain.domain} (${fmtMatch(d.topDomain.averageMatch)} avg match)` : '';
  doc
    .font(REGULAR)
    .fontSize(10)
    .fillColor('#000')
    .text(`${fmtInt(d.listenersAnalysed)} unique listeners analysed · average DNA match ${fmtMatch(d.averageMatch)}${band}${top}`);
  doc.moveDown(0.3);
  for (const b of BANDS) line(doc, b, `${d.distribution[b].share}%`, `${fmtInt(d.distribution[b].count)} listeners`);
  doc.moveDown(0.3);
  for (const [name, v] of Object.entries(d.domains)) line(doc, name, fmtMatch(v), null);
  if (d.clusters.length) {
    doc.moveDown(0.3).font(BOLD).fontSize(10).text('Audience clusters');
    for (const c of d.clusters) line(doc, c.name, `${c.share}%`, `match ${fmtMatch(c.averageMatch)}`);
  }
}
