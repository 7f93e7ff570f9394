/**
 * One leaderboard panel and the KPI tiles, updated in place: rows are keyed by entity, so a rank
 * change slides the row to its new place (FLIP: measure, reorder, invert, play) and flashes it.
 */
import { el, fmtInt, fmtNum } from '../shared/dom.js';
import { fitWidth } from '../shared/fit.js';
import { formatMoney } from '../../../systems/money.js';
import { moneyBoardCurrency } from '../../../systems/leaderboard/leaderboards.js';
import { entryChange, lacksPreviousWindow, shownTrends, type LeaderboardView, type EntryView, type KpiView } from './model.js';

const ARROWS: Record<string, string> = { up: '▲', down: '▼', stable: '•', new: '★' };

/** Animates a number in `node` from its current value to `to` (tabular digits; ~600 ms ease-out). */
export function tweenNumber(node: HTMLElement, to: number | null, format: (n: number) => string = fmtInt, onFrame: () => void = () => undefined): void {
  const from = Number(node.dataset.value);
  node.dataset.value = to === null ? '' : String(to);
  if (to === null) {
    node.textContent = 'n/a';
    return onFrame();
  }
  if (!Number.isFinite(from) || from === to || matchMedia('(prefers-reduced-motion: reduce)').matches) {
    node.textContent = format(to);
    return onFrame();
  }
  const start = performance.now();
  const step = (now: number) => {
    if (node.dataset.value !== String(to)) return; // a newer tween took over
    const u = Math.min(1, (now - start) / 600);
    node.textContent = format(from + (to - from) * (1 - (1 - u) ** 3));
    onFrame();
    if (u < 1) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

/** The new leader's glow (coliseum.css `flash-leader`). */
const LEADER_GLOW_MS = 3000;

function flash(node: HTMLElement, kind: string): void {
  // A new leader's events often land over two states: the rescore a moment later must not cut its glow short.
  const glowing = node.classList.contains('flash-leader') && performance.now() - Number(node.dataset.leaderAt) < LEADER_GLOW_MS;
  if (glowing && kind !== 'leader') return;
  node.classList.remove('flash-up', 'flash-down', 'flash-new', 'flash-score', 'flash-leader');
  void node.offsetWidth; // restart the CSS animation
  node.classList.add(`flash-${kind}`);
  if (kind === 'leader') node.dataset.leaderAt = String(performance.now());
}

interface Row {
  li: HTMLLIElement;
  rank: HTMLElement;
  arrow: HTMLElement;
  art: HTMLElement;
  name: HTMLElement;
  change: HTMLElement;
  score: HTMLElement;
  entry: EntryView;
}

export class LeaderboardPanel {
  readonly root: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly title: HTMLElement;
  private readonly csv: HTMLAnchorElement;
  private readonly png: HTMLAnchorElement;
  private rows = new Map<string, Row>();
  /** Whether a state was drawn already: the first one (a page opened, a window switched) animates nothing. */
  private drawn = false;

  /**
   * `exportHref`: where this board downloads as CSV or PNG (for spreadsheets and slides) for the window shown; `onLeader`:
   * the board's #1 changed (not on its first state).
   */
  constructor(
    readonly id: string,
    private readonly exportHref: (id: string, format: 'csv' | 'png') => string,
    private readonly onLeader: (board: LeaderboardView, leader: EntryView, previous: EntryView | null, score: string) => void = () => undefined,
  ) {
    this.title = el('h2', {});
    this.csv = el('a', { class: 'export', title: 'Download this board as CSV', 'aria-label': 'Download as CSV' }, 'CSV');
    this.png = el('a', { class: 'export', title: 'Download this board as a picture', 'aria-label': 'Download as PNG' }, 'PNG');
    this.list = el('ol', { class: 'entries' });
    this.root = el(
      'section',
      { class: 'leaderboard', 'data-leaderboard': id },
      el('div', { class: 'board-head' }, this.title, el('span', { class: 'exports' }, this.csv, this.png)),
      this.list,
    );
  }

  /** Applies a new leaderboard; returns how many entries changed (new, moved or rescored). */
  update(leaderboard: LeaderboardView): number {
    this.title.textContent = leaderboard.title;
    this.csv.href = this.exportHref(this.id, 'csv');
    this.csv.download = '';
    this.png.href = this.exportHref(this.id, 'png');
    this.png.download = '';
    // A board with nothing to rank (or only a copy of another's order) is not shown: an empty box says nothing to a room.
    this.root.hidden = leaderboard.entries.length === 0 || lacksPreviousWindow(leaderboard);
    const before = new Map([...this.rows].map(([id, row]) => [id, row.li.getBoundingClientRect().top]));
    const leaderBefore = [...this.rows.values()].find((r) => r.entry.rank === 1)?.entry ?? null;
    const first = !this.drawn;
    this.drawn = true;
    let changed = 0;
    const next = new Map<string, Row>();
    const entries = shownTrends(leaderboard).entries;
    for (const entry of entries) {
      const row = this.rows.get(entry.entityId) ?? this.createRow(entry);
      const change = entryChange(this.rows.get(entry.entityId)?.entry, entry);
      this.fill(row, entry);
      if (change !== 'none') {
        changed++;
        // A first state shows what is, without flashing every row as if it had just arrived.
        if (!first) flash(row.li, change === 'rank_up' ? 'up' : change === 'rank_down' ? 'down' : change);
      }
      next.set(entry.entityId, row);
      this.list.appendChild(row.li); // appending in rank order reorders the list
    }
    for (const [id, row] of this.rows) if (!next.has(id)) row.li.remove();
    this.rows = next;
    this.slide(before);
    const leader = entries.find((e) => e.rank === 1);
    if (!first && !this.root.hidden && leader && leader.entityId !== leaderBefore?.entityId) {
      const row = next.get(leader.entityId)!;
      flash(row.li, 'leader');
      this.onLeader(leaderboard, leader, leaderBefore, row.score.dataset.value ? this.formatScore(Number(row.score.dataset.value)) : '');
    }
    return changed;
  }

  private formatScore(n: number): string {
    const currency = moneyBoardCurrency(this.id);
    return currency ? formatMoney(Math.round(n), currency, { code: 'never' }) : fmtInt(n);
  }

  private createRow(entry: EntryView): Row {
    const row: Row = {
      li: el('li', { class: 'entry' }),
      rank: el('span', { class: 'rank num' }),
      arrow: el('span', { class: 'arrow' }),
      art: el('span', { class: 'art', 'aria-hidden': 'true' }),
      name: el('span', { class: 'name' }),
      change: el('span', { class: 'change num' }),
      score: el('span', { class: 'score num' }),
      entry,
    };
    row.li.append(row.rank, row.arrow, row.art, row.name, row.change, row.score);
    return row;
  }

  private fill(row: Row, entry: EntryView): void {
    row.entry = entry;
    row.li.dataset.entity = entry.entityId;
    row.li.dataset.rank = String(entry.rank);
    row.li.dataset.score = entry.score === null ? '' : String(entry.score);
    row.li.className = `entry${entry.trend ? ` trend-${entry.trend}` : ''}`;
    row.rank.textContent = `#${entry.rank}`;
    row.arrow.textContent = entry.trend ? ARROWS[entry.trend] : '';
    row.arrow.title = entry.trend ? `${entry.trend}${entry.previousRank ? ` (was #${entry.previousRank})` : ''}` : '';
    row.name.textContent = entry.name;
    paintArt(row.art, this.id, entry);
    row.change.textContent = changeLabel(entry);
    // A revenue board ranks by minor units (cents): its scores read as money ("$64.99", "₦1,250.00"); the board's
    // title names the currency, so a row does not repeat it and a phone keeps the room for the name.
    tweenNumber(row.score, entry.score, (n) => this.formatScore(n));
  }

  /** FLIP: rows that moved start at their old place and glide to the new one. */
  private slide(before: Map<string, number>): void {
    for (const [id, row] of this.rows) {
      const old = before.get(id);
      if (old === undefined) continue;
      const delta = old - row.li.getBoundingClientRect().top;
      if (Math.abs(delta) < 1) continue;
      row.li.style.transition = 'none';
      row.li.style.transform = `translateY(${delta}px)`;
      void row.li.offsetWidth;
      row.li.style.transition = 'transform 600ms cubic-bezier(.2,.8,.2,1)';
      row.li.style.transform = '';
    }
  }
}

/**
 * A row's artwork: the artist's picture when the catalog has one (the room's row names this server's thumbnail
 * of the artist, a track's artist or an orb transition's destination), over a disc in a colour of its own (from
 * the entity id, so an artist keeps its colour on every board and every screen) with the name's initials, or a
 * note for a track, which show while the picture loads and if it fails.
 */
export function paintArt(node: HTMLElement, board: string, entry: EntryView): void {
  const key = `${board}|${entry.entityId}|${entry.name}|${entry.image ?? ''}`;
  if (node.dataset.key === key) return;
  node.dataset.key = key;
  const hue = hashHue(entry.entityId);
  node.style.background = `radial-gradient(circle at 30% 30%, hsl(${hue} 70% 62%), hsl(${(hue + 40) % 360} 60% 32%))`;
  // A city has its initials too: the pin sign (⌖) is in no font a TV has, and drew an empty box.
  node.textContent = board.startsWith('tracks.') ? '♪' : initials(entry.name);
  node.classList.toggle('pictured', entry.image !== null);
  if (!entry.image) return;
  const img = el('img', { src: entry.image, alt: '', decoding: 'async' });
  img.addEventListener('error', () => {
    img.remove();
    node.classList.remove('pictured');
  });
  node.append(img);
}

/** "Fela Kuti" → "FK", "Sade" → "S", "King Sunny Adé and His African Beats" → "KS"; an arrow name uses its first side. */
export function initials(name: string): string {
  const words = name
    .split(/\s*→\s*/)[0]
    .split(/[\s_]+/)
    .filter((w) => /\p{L}|\p{N}/u.test(w));
  return (
    words
      .slice(0, 2)
      .map((w) => [...w.replace(/^[^\p{L}\p{N}]+/u, '')][0]?.toUpperCase() ?? '')
      .join('') || '·'
  );
}

function hashHue(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  // A final mix (murmur3's): ids that differ in their last character ("artist-1", "artist-2") get unrelated hues.
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % 360;
}

function changeLabel(entry: EntryView): string {
  if (entry.trend === 'new') return 'new';
  const parts: string[] = [];
  if (entry.change) parts.push(`${entry.change > 0 ? '+' : ''}${entry.change}`);
  if (entry.changePercent) parts.push(`${entry.changePercent > 0 ? '+' : ''}${fmtNum(entry.changePercent, 1)}%`);
  return parts.join(' · ');
}

/** The KPI tiles row. */
export class KpiTiles {
  private tiles = new Map<string, { root: HTMLElement; value: HTMLElement; unit: HTMLElement; delta: HTMLElement }>();

  constructor(private readonly root: HTMLElement) {
    addEventListener('resize', () => this.refit());
    void document.fonts?.ready.then(() => this.refit());
  }

  update(kpis: KpiView[]): void {
    const seen = new Set<string>();
    for (const kpi of kpis) {
      seen.add(kpi.id);
      let tile = this.tiles.get(kpi.id);
      if (!tile) {
        tile = {
          root: el('div', { class: 'kpi', 'data-kpi': kpi.id }),
          value: el('span', { class: 'value num' }),
          unit: el('span', { class: 'unit' }),
          delta: el('div', { class: 'delta num' }),
        };
        tile.root.append(el('div', { class: 'label' }, kpi.label), el('div', { class: 'figure' }, tile.value, tile.unit), tile.delta);
        this.tiles.set(kpi.id, tile);
      }
      this.root.appendChild(tile.root);
      const previous = tile.value.dataset.value;
      // Money arrives as integer cents with unit "cents:<currency>" (never a float on the wire): shown as "$64.99" with
      // the code as the tile's unit, so the figure never needs it twice.
      const currency = /^cents:([a-z]{3})$/i.exec(kpi.unit)?.[1]?.toUpperCase();
      // "1 viewer", "1 star": a count of one takes the unit's singular.
      tile.unit.textContent = currency ?? (kpi.value === 1 ? kpi.unit.replace(/(?<=[a-z])s$/, '') : kpi.unit);
      tile.unit.classList.toggle('tight', kpi.unit === '%');
      tile.root.classList.toggle('money', currency !== undefined);
      const fit = fitFigure(tile);
      if (typeof kpi.value === 'number' && currency) tweenNumber(tile.value, kpi.value, (n) => formatMoney(Math.round(n), currency, { code: 'never' }), fit);
      else if (typeof kpi.value === 'number') tweenNumber(tile.value, kpi.value, (n) => fmtNum(n, Number.isInteger(kpi.value) ? 0 : 1), fit);
      else {
        tile.value.textContent = kpi.value ?? 'n/a';
        fit();
      }
      if (previous !== undefined && previous !== tile.value.dataset.value) flash(tile.root, 'score');
      const pct = kpi.changePercent;
      tile.delta.textContent = pct === null ? '' : `${pct > 0 ? '+' : ''}${fmtNum(pct, 1)}% ${pct > 0 ? '↗' : pct < 0 ? '↘' : '→'}`;
      tile.delta.className = `delta num ${pct === null ? '' : pct > 0 ? 'up' : pct < 0 ? 'down' : ''}`;
    }
    for (const [id, tile] of this.tiles) {
      if (seen.has(id)) continue;
      tile.root.remove();
      this.tiles.delete(id);
    }
    this.drawSeries();
  }

  /** Fits every tile's figure again (the screen or the fonts changed). */
  refit(): void {
    for (const tile of this.tiles.values()) fitFigure(tile)();
  }

  private series: Record<string, number[]> = {};

  /** Each counted tile's line over the window (GET /api/coliseum/kpi-series); live tiles have none. */
  setSeries(series: Record<string, number[]>): void {
    this.series = series;
    this.drawSeries();
  }

  private drawSeries(): void {
    for (const [id, tile] of this.tiles) {
      const values = this.series[id];
      tile.root.querySelector('svg.spark')?.remove();
      if (!values || values.length < 2) continue;
      tile.root.appendChild(sparkline(values));
    }
  }
}

/** Below this a value gives its unit the next line rather than shrink further to keep it beside. */
const BESIDE_UNIT_MIN_PX = 18;

/**
 * A tile's figure is fitted to the tile by measuring it: the value shrinks until value and unit share the
 * tile's width (a TV shows "$1,234,567.89" whole, never "$1,234,5…"); when that would make it small, the unit
 * takes the next line and the value fits the whole width (a phone's half-width tile).
 */
function fitFigure(tile: { value: HTMLElement; unit: HTMLElement }): () => void {
  return () => {
    const figure = tile.value.parentElement;
    if (!figure) return;
    const unitStyle = getComputedStyle(tile.unit);
    const unitWidth = tile.unit.textContent ? tile.unit.offsetWidth + parseFloat(unitStyle.marginLeft) : 0;
    fitWidth(tile.value, figure.clientWidth - unitWidth - 1, 16);
    if (parseFloat(getComputedStyle(tile.value).fontSize) < BESIDE_UNIT_MIN_PX) fitWidth(tile.value, figure.clientWidth - 1, 16);
  };
}

const SVG = 'http://www.w3.org/2000/svg';

/** A small line of `values` scaled to its own maximum (flat at the bottom when all are zero). */
export function sparkline(values: readonly number[]): SVGSVGElement {
  const [w, h] = [100, 24];
  const max = Math.max(1, ...values);
  const points = values.map((v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join(' ');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.points = String(values.length);
  svg.dataset.max = String(Math.max(...values));
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  svg.appendChild(line);
  return svg;
}
