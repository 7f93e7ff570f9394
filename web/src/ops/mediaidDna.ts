/**
 * The MediaID DNA block of the ops user page (DIA): the user's MediaID inputs, ATGC bases,
 * DNA strength per domain and best matching users, with the two DNA actions the page's action bar
 * offers (a manual recompute and a passport export as JSON lines).
 */
import { append, clear, el, fmtInt, fmtTime } from '../shared/dom.js';
import { api, token } from './api.js';
import { BASE_COLOURS, BASE_NAMES, eventBases, helixSvg, type Base } from './mediaidHelix.js';

interface DnaUserView {
  userId: string;
  displayName: string | null;
  email: string | null;
  bases: {
    A: string[];
    T: string[];
    G: Record<string, unknown>;
    C: { location: string | null; privacy: { shareLocation: boolean; allowMatching: boolean } };
    sequence: string;
  };
  dna: {
    dims: number;
    halfLifeDays: number;
    signals: number;
    mirroredThrough: string | null;
    updatedAt: string | null;
    domains: Record<string, { strength: number }>;
  };
  similar: Array<{ userId: string; score: number; name: string | null }>;
  index: { users: number; truncated: boolean };
}

export class DnaView {
  private userId: string | null = null;

  constructor(
    private readonly view: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {}

  reset(): void {
    this.userId = null;
    clear(this.view);
  }

  async open(userId: string): Promise<void> {
    this.userId = userId;
    clear(this.view);
    try {
      const v = await api<DnaUserView>(`/api/ops/dna/users/${encodeURIComponent(userId)}`);
      if (this.userId === userId) this.render(v);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Rebuilds the user's DNA from their passport now; returns what the note under the page's actions says. */
  async recompute(): Promise<string | null> {
    if (!this.userId) return null;
    try {
      const r = await api<DnaUserView & { recomputed: { events: number; truncated: boolean } }>(
        `/api/ops/dna/users/${encodeURIComponent(this.userId)}/recompute`,
        { method: 'POST' },
      );
      this.render(r);
      return `DNA recomputed from ${fmtInt(r.recomputed.events)} passport events${r.recomputed.truncated ? ' (the newest only)' : ''}`;
    } catch (err) {
      this.onError(err);
      return null;
    }
  }

  /** Fetches with the Bearer header (a plain link cannot send it) and saves the file. */
  async exportPassport(): Promise<void> {
    const userId = this.userId;
    if (!userId) return;
    try {
      const res = await fetch(`/api/ops/dna/users/${encodeURIComponent(userId)}/passport`, { headers: { authorization: `Bearer ${token.get() ?? ''}` } });
      if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
      const url = URL.createObjectURL(await res.blob());
      const a = el('a', { href: url, download: `passport-${userId}.jsonl` });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      this.onError(err);
    }
  }

  private render(v: DnaUserView): void {
    clear(this.view);
    const b = v.bases;
    const fromEvents = v.dna.signals > 0 ? eventBases(v.dna.domains) : '';
    const chips = (letter: string, items: string[]) =>
      el(
        'div',
        { class: 'badges' },
        el('strong', {}, `${letter} `),
        ...(items.length ? items.map((x) => el('span', { class: 'badge' }, x)) : [el('span', { class: 'muted small' }, 'none')]),
      );
    const domains = el(
      'table',
      { id: 'dna-domains' },
      el(
        'tbody',
        {},
        ...Object.entries(v.dna.domains).map(([name, d]) =>
          el('tr', { 'data-domain': name }, el('td', {}, name), el('td', { class: 'num' }, d.strength.toFixed(2))),
        ),
      ),
    );
    const legend = el(
      'div',
      { class: 'small helix-legend' },
      ...(Object.keys(BASE_COLOURS) as Base[]).map((base) => el('span', { style: `color:${BASE_COLOURS[base]}` }, `■ ${base} ${BASE_NAMES[base]}`)),
    );
    append(
      this.view,
      helixSvg(b.sequence + fromEvents, v.dna.signals),
      legend,
      el(
        'div',
        { class: 'muted small' },
        `${basesLine(b.sequence.length, fromEvents.length)} · ${fmtInt(v.dna.signals)} signals mirrored${v.dna.mirroredThrough ? ` through ${fmtTime(v.dna.mirroredThrough)}` : ''} · half-life ${v.dna.halfLifeDays} d · ${v.dna.dims} dims/domain`,
      ),
      chips('A', b.A),
      chips('T', b.T),
      chips(
        'G',
        Object.entries(b.G).map(([k, x]) => `${k}=${String(x)}`),
      ),
      chips('C', [
        b.C.location ?? 'no location',
        b.C.privacy.shareLocation ? 'location shared' : 'location private',
        b.C.privacy.allowMatching ? 'matching on' : 'matching off',
      ]),
      domains,
      el(
        'div',
        { class: 'small', id: 'dna-similar' },
        `closest DNA (of ${fmtInt(v.index.users)} indexed): `,
        ...(v.similar.length
          ? v.similar.map((s) =>
              el(
                'a',
                { href: `#tab=users&user=${s.userId}`, class: 'similar-user', 'data-user': s.userId },
                // The person when they gave a name or email, else the start of their id.
                s.name ?? el('code', {}, s.userId.slice(0, 8)),
                ` ${s.score.toFixed(2)} `,
              ),
            )
          : [el('span', { class: 'muted' }, 'none')]),
      ),
    );
  }
}

/** "5 bases", "12 bases (3 from the profile, 9 from events)", "no bases yet". */
function basesLine(profile: number, events: number): string {
  if (!profile && !events) return 'no bases yet';
  const total = `${profile + events} base${profile + events === 1 ? '' : 's'}`;
  return events ? `${total} (${profile} from the profile, ${events} from events)` : total;
}
