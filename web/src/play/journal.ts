/**
 * The journal tab of /play: the listener's constellation read from
 * GET /api/constellations/me, drawn as a slanted sky with its clusters in colour, then the clusters by
 * name with their stars, the insights and the numbers.
 */
import { $, append, clear, el } from '../shared/dom.js';
import { authedFetch, jsonOf } from './api.js';
import type { DeviceAuth } from './auth.js';
import { ConstellationMap, type SavedConstellation } from './constellation.js';

/** What the tab reads of the journal (docs/PROTOCOL.md "Constellation journal and sharing"). */
export interface JournalView extends SavedConstellation {
  stars: Array<SavedConstellation['stars'][number] & { artist: { id: string; name: string; genre: string; era: string; station: number | null } }>;
  clusters: Array<{ name: string; stars: string[]; color?: string }>;
  insights: string[];
  recommendations?: Array<{ artistId: string; name: string; reason: string; station: number | null }>;
  statistics: {
    totalStars: number;
    totalConnections: number;
    genreDistribution: Array<{ genre: string; count: number; percentage: number }>;
    eraDistribution: Array<{ era: string; count: number; percentage: number }>;
    discovery: { mostCommonDirection: string | null; deepestHistory: string | null; decadesSpanned: number };
    mostConnectedStar: { artistName: string; connections: number } | null;
  };
}

/** Cluster colours when the journal names none: distinct on the dark sky, in the order clusters are listed. */
export const CLUSTER_PALETTE = ['#f6c177', '#9ccfd8', '#eb6f92', '#c4a7e7', '#a6e3a1', '#ff6b35', '#3e8fb0', '#ebbcba'];

export class JournalPanel {
  private readonly sky: ConstellationMap;
  private loading: Promise<void> | null = null;
  /** A capture happened since the last read: the next show() reads again. */
  private stale = true;

  constructor(
    private readonly root: HTMLElement,
    private readonly auth: DeviceAuth,
    private readonly tune: (frequency: number, name: string) => void,
  ) {
    const canvas = $<HTMLCanvasElement>('#journal-sky', root);
    this.sky = new ConstellationMap(canvas, { emptyText: 'Your captured stars will gather here' });
    this.sky.animate();
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  /** The constellation changed (a capture): read again now if the tab is open, else when it opens. */
  invalidate(visible: boolean): void {
    this.stale = true;
    if (visible) void this.show();
  }

  /** Reads the journal when it may have changed and draws it. */
  async show(): Promise<void> {
    this.draw();
    if (!this.stale) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    await this.loading;
  }

  private async load(): Promise<void> {
    const status = $('#journal-status', this.root);
    this.stale = false;
    try {
      const journal = await jsonOf<JournalView>(await authedFetch(this.auth, '/api/constellations/me'));
      this.render(journal);
      status.textContent = '';
    } catch (err) {
      this.stale = true;
      status.textContent = `your journal could not be read: ${(err as Error).message}`;
    }
  }

  private draw(): void {
    this.sky.render(performance.now());
  }

  private render(journal: JournalView): void {
    const colours = journal.clusters.map((c, i) => c.color ?? CLUSTER_PALETTE[i % CLUSTER_PALETTE.length]);
    const artistOf = new Map(journal.stars.map((s) => [s.id, s.artist]));
    this.sky.reset();
    this.sky.restore(journal, performance.now());
    this.sky.setClusters(journal.clusters.map((c, i) => ({ color: colours[i], artistIds: c.stars.map((id) => artistOf.get(id)?.id ?? '') })));
    this.draw();
    this.root.dataset.stars = String(journal.stars.length);

    const clusters = $('#journal-clusters', this.root);
    clear(clusters);
    append(
      clusters,
      ...journal.clusters.map((c, i) =>
        el(
          'li',
          { style: `--cluster: ${colours[i]}` },
          el('strong', {}, c.name),
          el('span', { class: 'muted' }, c.stars.map((id) => artistOf.get(id)?.name ?? '?').join(' · ')),
        ),
      ),
    );
    const insights = $('#journal-insights', this.root);
    clear(insights);
    append(insights, ...journal.insights.map((text) => el('li', {}, text)));
    this.renderRecommendations(journal.recommendations ?? []);
    this.renderStats(journal.statistics);
  }

  /** The "more like this" block: artists sharing the constellation's genres; a tap tunes to them. */
  private renderRecommendations(recs: NonNullable<JournalView['recommendations']>): void {
    const list = $('#journal-recommendations', this.root);
    clear(list);
    if (!recs.length) return void append(list, el('li', { class: 'muted' }, 'capture a star to get picks'));
    for (const r of recs) {
      const station = r.station;
      const button = el(
        'button',
        { type: 'button', disabled: station === null, 'data-artist': r.artistId },
        el('span', { class: 'name' }, r.name),
        el('span', { class: 'muted' }, r.reason),
        el('span', { class: 'num freq' }, station === null ? 'no station' : `${station.toFixed(1)} MHz`),
      );
      if (station !== null) button.addEventListener('click', () => this.tune(station, r.name));
      append(list, el('li', {}, button));
    }
  }

  private renderStats(stats: JournalView['statistics']): void {
    const share = (rows: Array<{ count: number; percentage: number }>, name: (r: never) => string) =>
      rows
        .slice(0, 3)
        .map((r) => `${name(r as never)} ${r.percentage}%`)
        .join(' · ') || '—';
    const rows: Array<[string, string]> = [
      ['Stars', String(stats.totalStars)],
      // The lines the sky above draws, not the links behind them: a path and a shared genre may link one pair twice,
      // and each star is drawn joined to its nearest linked stars only (systems/constellation/sky.ts).
      ['Lines', String(this.sky.lineCount)],
      ['Genres', share(stats.genreDistribution, (r: { genre: string }) => r.genre)],
      ['Eras', share(stats.eraDistribution, (r: { era: string }) => r.era)],
      ['Deepest history', stats.discovery.deepestHistory ?? '—'],
      ['Direction', stats.discovery.mostCommonDirection ?? '—'],
      ['Most connected', stats.mostConnectedStar ? `${stats.mostConnectedStar.artistName} (${stats.mostConnectedStar.connections})` : '—'],
    ];
    const list = $('#journal-stats', this.root);
    clear(list);
    for (const [term, value] of rows) append(list, el('dt', {}, term), el('dd', { class: 'num' }, value));
  }
}
