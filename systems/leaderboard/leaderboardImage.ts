/**
 * A board exported as a picture (SVG in the Coliseum's look, rasterised by features/leaderboard; names wrapped by
 * their drawn width) and as CSV.
 */
import { escapeMarkup } from '../text.js';
import { formatMoney } from '../money.js';
import { moneyBoardCurrency, WINDOW_WORDS } from './leaderboards.js';
import type { LeaderboardEntry, LeaderboardWindow } from './windows.js';
import { wrapToWidth } from '../textWidth.js';

export const IMAGE_WIDTH = 1200;
const HEADER = 150;
const FOOTER = 56;
const ROW = 74;
const NAME_PX = 26;
const SCORE_PX = 30;
const RANK_PX = 28;
/** DejaVu Sans Mono's advance (1233/2048 em). */
const MONO_EM = 0.602;
const GAP = 24;
const RANK_X = 70;
const SCORE_RIGHT = IMAGE_WIDTH - 70;

export interface ImageRow {
  rank: number;
  name: string;
  score: number;
  trend?: string | null;
}

export interface ImageBoard {
  /** A `revenue.<currency>` board's scores are minor units and read as money. */
  leaderboard?: string;
  title: string;
  window: string;
  generatedAt: string;
  entries: readonly ImageRow[];
}

const ARROWS: Record<string, string> = { up: '▲', down: '▼', stable: '•', new: '★' };

/** At least one row: an empty board says so. */
export function imageHeight(rows: number): number {
  return HEADER + Math.max(1, rows) * ROW + FOOTER;
}

/** The name starts after the rank and wraps before the score, so a long name never runs under "$1,234.56 USD". */
function rowSvg(row: ImageRow, i: number, currency: string | null): string {
  const y = HEADER + i * ROW;
  const score = currency ? formatMoney(Math.round(row.score), currency) : Math.round(row.score).toLocaleString('en-US');
  const rank = `#${row.rank}`;
  const arrowX = Math.max(150, Math.ceil(RANK_X + rank.length * RANK_PX * MONO_EM + 12));
  const nameX = arrowX + 40;
  const nameRight = SCORE_RIGHT - score.length * SCORE_PX * MONO_EM - GAP;
  const lines = wrapToWidth(row.name, nameRight - nameX, NAME_PX);
  const nameY = lines.length === 1 ? y + 46 : y + 32;
  const name = lines.map((l, k) => `<text x="${nameX}" y="${nameY + k * 30}" class="name">${escapeMarkup(l)}</text>`).join('');
  const arrow = row.trend ? (ARROWS[row.trend] ?? '') : '';
  return `<rect x="40" y="${y + 6}" width="${IMAGE_WIDTH - 80}" height="${ROW - 12}" rx="12" class="${i === 0 ? 'row first' : 'row'}"/>
<text x="${RANK_X}" y="${y + 47}" class="${i < 3 ? 'rank top' : 'rank'}">${escapeMarkup(rank)}</text>
<text x="${arrowX}" y="${y + 46}" class="arrow ${row.trend ?? ''}">${arrow}</text>${name}
<text x="${SCORE_RIGHT}" y="${y + 47}" class="score" text-anchor="end">${escapeMarkup(score)}</text>`;
}

export function leaderboardSvg(board: ImageBoard): string {
  const height = imageHeight(board.entries.length);
  const when = `${board.generatedAt.replace('T', ' ').slice(0, 16)} UTC`;
  const currency = board.leaderboard ? moneyBoardCurrency(board.leaderboard) : null;
  const rows = board.entries.length
    ? board.entries.map((row, i) => rowSvg(row, i, currency)).join('\n')
    : `<text x="70" y="${HEADER + 46}" class="empty">No entries in this window yet.</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${IMAGE_WIDTH}" height="${height}" viewBox="0 0 ${IMAGE_WIDTH} ${height}">
<style>
text { font-family: 'DejaVu Sans', sans-serif; fill: #f3efe6; }
.brand { font: 700 22px 'DejaVu Serif', serif; letter-spacing: 6px; fill: #FF6B35; }
.title { font: 700 40px 'DejaVu Serif', serif; fill: #ffd166; }
.sub { font-size: 20px; fill: #b9b2a3; }
.row { fill: #ffffff10; } .row.first { fill: #FF6B3526; }
.rank { font: 700 ${RANK_PX}px 'DejaVu Sans Mono', monospace; fill: #b9b2a3; } .rank.top { fill: #ffd166; }
.arrow { font-size: 22px; fill: #b9b2a3; } .arrow.up { fill: #a6e3a1; } .arrow.down { fill: #eb6f92; } .arrow.new { fill: #ffd166; }
.name { font-weight: 700; font-size: ${NAME_PX}px; }
.score { font: 700 ${SCORE_PX}px 'DejaVu Sans Mono', monospace; }
.empty, .foot { font-size: 20px; fill: #b9b2a3; }
</style>
<rect width="100%" height="100%" fill="#0f1522"/>
<rect width="100%" height="${HEADER - 20}" fill="#24324a"/>
<text x="40" y="44" class="brand">COLISEUM</text>
<text x="40" y="94" class="title">${escapeMarkup(board.title)}</text>
<text x="40" y="124" class="sub">${escapeMarkup(WINDOW_WORDS[board.window as LeaderboardWindow] ?? board.window)} · read ${escapeMarkup(when)}</text>
${rows}
<text x="40" y="${height - 20}" class="foot">DeepStream Coliseum · live leaderboards</text>
</svg>`;
}

/**
 * RFC 4180. A text cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading ' (OWASP "CSV
 * injection"): names come from clients and catalogs.
 */
const LEADERBOARD_CSV_COLUMNS = ['rank', 'entity_id', 'name', 'score', 'previous_rank', 'trend', 'change', 'change_percent'] as const;

type CsvRow = LeaderboardEntry & { previousRank?: number | null; trend?: string | null; change?: number; changePercent?: number };

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function leaderboardCsv(entries: readonly CsvRow[]): string {
  const lines = [LEADERBOARD_CSV_COLUMNS.join(',')];
  for (const e of entries) lines.push([e.rank, e.entityId, e.name, e.score, e.previousRank, e.trend, e.change, e.changePercent].map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** `artists.visits-day-2026-11-25.csv`: board, window, UTC day read. */
export function leaderboardCsvFilename(leaderboard: string, window: string, at: number): string {
  return `${leaderboard.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80)}-${window}-${new Date(at).toISOString().slice(0, 10)}.csv`;
}
