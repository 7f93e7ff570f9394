/**
 * A Coliseum report as a PDF, formatted as the page is, so what is printed says what the page said. pdfkit with DejaVu
 * Sans embedded: the built-in Helvetica is WinAnsi only and drops names such as "Ẹ̀gbẹ́".
 */
import { join } from 'node:path';
import {
  audienceMatch,
  BANDS,
  changeText,
  domainName,
  fmtMatch,
  fmtInt,
  metricTiles,
  noneLine,
  NO_RANK_TEXT,
  rankCard,
  topDomainText,
} from '../../systems/reports/reportFigures.js';
import { campaignLines, standingLines, standingsHeadline } from '../../systems/reports/reportSections.js';
import type { ReportData } from '../../systems/reports/reportData.js';
import { BUNDLED_FONT_DIR } from '../assets/svgRaster.js';

/** The report as reportsRoutes.reportJson answers it (the page reads the same shape). */
export type ReportForPdf = Record<'id' | 'reportType' | 'entityName' | 'startDate' | 'endDate' | 'generatedAt', string> & {
  generationMs: number;
  share: { expiresAt: string | null; url?: string };
  report: Record<string, unknown>;
};

const ORANGE = '#FF6B35';
const NAVY = '#151B2E';
const INK = '#111111';
const MUTED = '#666666';
const RULE = '#E3E3E8';

const REGULAR = 'DejaVu';
const BOLD = 'DejaVu-Bold';
/** A4 in points, and the margin all round. */
const [PAGE_W, M] = [595.28, 40];
const INNER = PAGE_W - 2 * M;

type Doc = PDFKit.PDFDocument;

/** Loaded by the first PDF: loading them cost every process ~0.15 s of CPU at boot. */
const pdfLibraries = () =>
  Promise.all([import('pdfkit'), import('qrcode')]).then(([pdfkit, qrcode]) => ({ PDFDocument: pdfkit.default, QRCode: qrcode.default }));

export async function reportPdf(r: ReportForPdf, shareUrl: string | null): Promise<Buffer> {
  const { PDFDocument, QRCode } = await pdfLibraries();
  // The same QR code as the page's Share & export card: a printed report opens on a phone.
  const qr = shareUrl ? await QRCode.toBuffer(shareUrl, { margin: 1, width: 360, errorCorrectionLevel: 'M' }) : null;
  const data = r.report as unknown as ReportData;
  const doc = new PDFDocument({
    size: 'A4',
    margin: M,
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
  let y = header(doc, r, qr);
  y = tiles(doc, y, data);
  y = positionAndAudience(doc, y, data);
  trendChart(doc, y, data.trends.daily);
  if (shareUrl) footer(doc, shareUrl, r.share.expiresAt);
  doc.addPage();
  dailyTable(doc, data.trends.daily);
  dnaSection(doc, data.dna);
  doc.end();
  return done;
}

/** The band across the top: what this is, whose, over which range; the QR code of the live report at its right. */
function header(doc: Doc, r: ReportForPdf, qr: Buffer | null): number {
  const height = 128;
  doc.rect(0, 0, PAGE_W, height).fill(NAVY);
  doc.rect(0, height, PAGE_W, 4).fill(ORANGE);
  const width = INNER - (qr ? 120 : 0);
  pen(doc, BOLD, 11, ORANGE).text('Coliseum report', M, 30, { width, characterSpacing: 1.5 });
  pen(doc, BOLD, 24, '#FFFFFF').text(r.entityName, M, 48, { width, height: 60, ellipsis: true });
  pen(doc, REGULAR, 9, '#C9CCD8')
    .text(`${r.reportType.replace('_', ' ')} · ${r.startDate.slice(0, 10)} to ${r.endDate.slice(0, 10)}`, M, Math.max(doc.y + 4, 86), { width })
    .fillColor('#8F93A6')
    .text(`generated ${r.generatedAt.replace('T', ' ').slice(0, 16)} UTC in ${r.generationMs} ms`, { width });
  if (qr) {
    const side = 92;
    const x = PAGE_W - M - side;
    doc.roundedRect(x - 6, 16, side + 12, side + 12, 8).fill('#FFFFFF');
    doc.image(qr, x, 22, { width: side });
  }
  return height + 22;
}

/** The key figures as tiles, four to a row: label, value, change (the page's words: reportFigures.ts). */
function tiles(doc: Doc, top: number, data: ReportData): number {
  const { tiles: all, none } = metricTiles(data.metrics, data.trends.changePercent);
  const [cols, gap, h] = [4, 8, 50];
  const w = (INNER - gap * (cols - 1)) / cols;
  sectionTitle(doc, 'Key metrics', top);
  const y0 = top + 18;
  all.forEach((t, i) => {
    const [x, y] = [M + (i % cols) * (w + gap), y0 + Math.floor(i / cols) * (h + gap)];
    doc.roundedRect(x, y, w, h, 6).fillAndStroke('#F6F6F9', RULE);
    pen(doc, REGULAR, 7.5, MUTED).text(t.label, x + 8, y + 7, { width: w - 16, lineBreak: false });
    const size = t.value.length > 16 ? 10 : t.value.length > 11 ? 12 : 16;
    pen(doc, BOLD, size, INK).text(t.value, x + 8, y + 18, { width: w - 16, lineBreak: false });
    if (t.change !== undefined) {
      const colour = t.change === null ? MUTED : t.change > 0 ? '#1B8A4B' : t.change < 0 ? '#C0392B' : MUTED;
      pen(doc, REGULAR, 7, colour).text(changeText(t.change), x + 8, y + 37, { width: w - 16, lineBreak: false });
    }
  });
  const bottom = y0 + Math.ceil(all.length / cols) * (h + gap);
  const line = noneLine(none);
  if (!line) return bottom + 8;
  pen(doc, REGULAR, 8, MUTED).text(line, M, bottom, { width: INNER, lineBreak: false });
  return bottom + 20;
}

/** The rank card (or what stands in for it) and the audience's DNA in one line, side by side. */
function positionAndAudience(doc: Doc, top: number, data: ReportData): number {
  const half = (INNER - 12) / 2;
  const special = data.tournament ?? data.campaign;
  if (special) return positionSection(doc, top, data) + 8;
  sectionTitle(doc, 'Leaderboard position', top);
  const card = rankCard(data.leaderboard);
  const y = top + 18;
  doc.roundedRect(M, y, half, 86, 6).stroke(RULE);
  if (card) {
    pen(doc, BOLD, 30, ORANGE).text(card.headline, M + 12, y + 8, { width: half - 24 });
    pen(doc, REGULAR, 9, INK).text(card.detail, M + 12, y + 48, { width: half - 24 });
    doc.fillColor(MUTED).text(card.previous, { width: half - 24 });
  } else pen(doc, REGULAR, 10, MUTED).text(NO_RANK_TEXT, M + 12, y + 12, { width: half - 24 });
  const x = M + half + 12;
  sectionTitle(doc, 'Audience', top, x);
  doc.roundedRect(x, y, half, 86, 6).stroke(RULE);
  const d = data.dna;
  pen(doc, BOLD, 30, NAVY).text(audienceMatch(d), x + 12, y + 8, { width: half - 24 });
  pen(doc, REGULAR, 9, INK)
    .text(`average DNA match${d.band ? ` · ${d.band} alignment` : ''}`, x + 12, y + 48, { width: half - 24 })
    .fillColor(MUTED)
    .text(`${fmtInt(d.listenersAnalysed)} unique listeners analysed`, { width: half - 24 });
  return y + 86 + 14;
}

/** A tournament's standings or a campaign's funnel and return, full width, as the page shows them. */
function positionSection(doc: Doc, top: number, data: ReportData): number {
  doc.x = M;
  doc.y = top;
  if (data.tournament) {
    sectionTitle(doc, 'Tournament standings', top);
    pen(doc, BOLD, 10, INK).text(standingsHeadline(data.tournament), M, top + 18);
    pen(doc, REGULAR, 9, MUTED).text(data.tournament.leaderboard).moveDown(0.3);
    for (const l of standingLines(data.tournament)) line(doc, `${l.rank} ${l.city}`, `${l.engagement} · ${l.share}`, l.previous);
  } else if (data.campaign) {
    sectionTitle(doc, 'Campaign funnel and return', top);
    doc.y = top + 18;
    for (const l of campaignLines(data.campaign)) line(doc, l.label, l.value, l.note);
  }
  pen(doc, REGULAR, 9, MUTED).text(`${fmtInt(data.dna.listenersAnalysed)} unique listeners analysed`, M, doc.y + 4);
  return doc.y;
}

/** Events per day as bars, unique users per day as a line over them, with the scale and the range's ends. */
function trendChart(doc: Doc, top: number, days: ReportData['trends']['daily']): void {
  sectionTitle(doc, 'Daily trend (UTC)', top);
  const [x0, y0, w, h] = [M + 28, top + 22, INNER - 28, Math.min(170, 700 - top)];
  if (!days.some((d) => d.events > 0) || h < 60) return void pen(doc, REGULAR, 9, MUTED).text('No events in this range.', M, y0);
  const max = Math.max(1, ...days.map((d) => Math.max(d.events, d.uniqueUsers)));
  const step = w / days.length;
  const yOf = (v: number) => y0 + h - (v / max) * h;
  // The scale: 0, the top and (when it is a whole number apart) the middle.
  for (const k of max >= 4 ? [0, 0.5, 1] : [0, 1]) {
    stroke(doc, [x0, yOf(max * k)], [x0 + w, yOf(max * k)], 0.5, RULE);
    pen(doc, REGULAR, 7, MUTED).text(fmtInt(max * k), M - 4, yOf(max * k) - 4, { width: 28, align: 'right', lineBreak: false });
  }
  days.forEach((d, i) => {
    if (d.events > 0) doc.rect(x0 + i * step + step * 0.15, yOf(d.events), Math.max(0.8, step * 0.7), (d.events / max) * h).fill(ORANGE);
  });
  days.forEach((d, i) => {
    const [x, y] = [x0 + (i + 0.5) * step, yOf(d.uniqueUsers)];
    if (i === 0) doc.moveTo(x, y);
    else doc.lineTo(x, y);
  });
  if (days.length > 1) doc.lineWidth(1.5).stroke(NAVY);
  pen(doc, REGULAR, 7, MUTED);
  doc.text(days[0].day, x0, y0 + h + 4, { lineBreak: false });
  doc.text(days[days.length - 1].day, x0 + w - 60, y0 + h + 4, { width: 60, align: 'right', lineBreak: false });
  const key = y0 + h + 16;
  doc.rect(x0, key + 1, 8, 6).fill(ORANGE);
  doc.fillColor(INK).text('events', x0 + 12, key, { lineBreak: false });
  stroke(doc, [x0 + 60, key + 4], [x0 + 72, key + 4], 1.5, NAVY);
  doc.fillColor(INK).text('unique users', x0 + 76, key, { lineBreak: false });
}

/** The live report's link under the chart (the QR code in the header opens it). */
function footer(doc: Doc, shareUrl: string, expiresAt: string | null): void {
  const y = 842 - M - 26;
  stroke(doc, [M, y - 6], [PAGE_W - M, y - 6], 0.5, RULE);
  pen(doc, REGULAR, 7.5, MUTED).text('Live report (scan the code above):', M, y, { lineBreak: false });
  doc.fillColor(NAVY).text(shareUrl, M + 130, y, { width: INNER - 130, link: shareUrl });
  if (expiresAt) doc.fillColor(MUTED).text(`valid until ${expiresAt.replace('T', ' ').slice(0, 16)} UTC`, M + 130, doc.y, { lineBreak: false });
}

/** Page 2: every day's figures, three columns. */
function dailyTable(doc: Doc, days: ReportData['trends']['daily']): void {
  heading(doc, 'Daily figures (events and unique users per day, UTC)');
  if (!days.length) return void pen(doc, REGULAR, 10, INK).text('No events in this range.');
  const rows = Math.ceil(days.length / 3);
  const top = doc.y;
  const w = INNER / 3;
  days.forEach((d, i) => {
    const [x, y] = [M + Math.floor(i / rows) * w, top + (i % rows) * 12];
    pen(doc, REGULAR, 8, MUTED).text(d.day, x, y, { lineBreak: false });
    doc.fillColor(INK).text(`${fmtInt(d.events)} events · ${fmtInt(d.uniqueUsers)} users`, x + 58, y, { lineBreak: false });
  });
  doc.x = M;
  doc.y = top + rows * 12 + 6;
}

function pen(doc: Doc, font: string, size: number, colour: string): Doc {
  return doc.font(font).fontSize(size).fillColor(colour);
}

function stroke(doc: Doc, a: [number, number], b: [number, number], width: number, colour: string): void {
  doc
    .moveTo(...a)
    .lineTo(...b)
    .lineWidth(width)
    .stroke(colour);
}

function sectionTitle(doc: Doc, text: string, y: number, x = M): void {
  pen(doc, BOLD, 10, ORANGE).text(text, x, y, { characterSpacing: 0.4, lineBreak: false });
}

function heading(doc: Doc, text: string): void {
  doc.moveDown(0.8).font(BOLD).fontSize(12).fillColor(ORANGE).text(text, M).moveDown(0.2);
}

/** One row: label left, value and note in columns. */
function line(doc: Doc, label: string, value: string, note: string | null): void {
  const y = doc.y;
  // A label may wrap: the row ends below the tallest of its cells.
  pen(doc, REGULAR, 10, INK).text(label, M, y, { width: 160 });
  let bottom = doc.y;
  doc.font(BOLD).text(value, M + 170, y, { width: 170 });
  bottom = Math.max(bottom, doc.y);
  if (note) pen(doc, REGULAR, 10, MUTED).text(note, M + 350, y, { width: INNER - 350 });
  doc.x = M;
  doc.y = Math.max(doc.y, bottom, y + 14);
}

function dnaSection(doc: Doc, d: ReportData['dna']): void {
  heading(doc, 'Audience DNA insights');
  const band = d.band ? ` (${d.band} alignment)` : '';
  const top = topDomainText(d.topDomain);
  pen(doc, REGULAR, 10, INK).text(`${fmtInt(d.listenersAnalysed)} unique listeners analysed · average DNA match ${audienceMatch(d)}${band}${top}`);
  doc.moveDown(0.3);
  for (const b of BANDS) line(doc, b, `${d.distribution[b].share}%`, `${fmtInt(d.distribution[b].count)} listeners`);
  doc.moveDown(0.3);
  for (const [name, v] of Object.entries(d.domains)) line(doc, domainName(name), fmtMatch(v), null);
  if (d.clusters.length) {
    doc.moveDown(0.3).font(BOLD).fontSize(10).text('Audience clusters');
    for (const c of d.clusters) line(doc, c.name, `${c.share}%`, `match ${fmtMatch(c.averageMatch)}`);
  }
}
