/**
 * /ops "MediaID DNA" section (DIA, seed 002): find a user by email, display name, user id or device id
 * (4+ characters), then their MediaID inputs, ATGC bases, DNA strength per domain, best matching
 * users, a manual recompute and a passport export (JSON lines). Builds its own DOM inside #dashboard,
 * like the jobs section, so the page shell needs no change.
 */
import { append, clear, el, fmtInt, fmtTime } from '../shared/dom.js';
import { api, qs, token } from './api.js';

interface LookupUser {
  id: string;
  deviceId: string;
  displayName: string | null;
  email: string | null;
  matchedBy: string;
  lastSeenAt: string;
}

interface DnaUserView {
  userId: string;
  displayName: string | null;
  email: string | null;
  bases: { A: string[]; T: string[]; G: Record<string, unknown>; C: { location: string | null; privacy: { shareLocation: boolean; allowMatching: boolean } }; sequence: string };
  dna: { dims: number; halfLifeDays: number; signals: number; mirroredThrough: string | null; updatedAt: string | null; domains: Record<string, { strength: number }> };
  similar: Array<{ userId: string; score: number }>;
  index: { users: number; truncated: boolean };
}

export class DnaPanel {
  readonly root: HTMLElement;
  private readonly results: HTMLElement;
  private readonly view: HTMLElement;
  private readonly note: HTMLElement;
  private userId: string | null = null;

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    const input = el('input', { id: 'dna-query', type: 'search', placeholder: 'email, display name, user id or device id (4+ characters)', 'aria-label': 'find a user', style: 'flex:1;min-width:0' });
    const form = el('form', { id: 'dna-search', style: 'display:flex;gap:8px' }, input, el('button', { type: 'submit', class: 'primary' }, 'Find'));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.search(input.value.trim());
    });
    this.results = el('ul', { id: 'dna-results', class: 'small' });
    this.note = el('p', { class: 'muted small', id: 'dna-note' });
    this.view = el('div', { id: 'dna-user', class: 'hidden' });
    this.root = el('section', { class: 'card', id: 'dna' }, el('h2', {}, 'MediaID DNA'), form, this.note, this.results, this.view);
    container.appendChild(this.root);
  }

  reset(): void {
    this.userId = null;
    clear(this.results);
    clear(this.view);
    this.note.textContent = '';
    this.view.classList.add('hidden');
  }

  async search(query: string): Promise<void> {
    clear(this.results);
    if (!query) return;
    try {
      const { users, hint } = await api<{ users: LookupUser[]; hint?: string }>(`/api/ops/dna/users${qs({ q: query })}`);
      this.note.textContent = hint ?? (users.length ? '' : `No user matches "${query}".`);
      for (const u of users) {
        const button = el('button', { type: 'button', class: 'link', 'data-user': u.id }, u.displayName ?? u.email ?? u.deviceId);
        button.addEventListener('click', () => void this.open(u.id));
        append(this.results, el('li', {}, button, el('span', { class: 'muted' }, ` ${u.email ?? ''} · ${u.id} · by ${u.matchedBy} · last seen ${fmtTime(u.lastSeenAt)}`)));
      }
      if (users.length === 1) await this.open(users[0].id);
    } catch (err) {
      this.onError(err);
    }
  }

  async open(userId: string): Promise<void> {
    try {
      this.userId = userId;
      this.render(await api<DnaUserView>(`/api/ops/dna/users/${encodeURIComponent(userId)}`));
    } catch (err) {
      this.onError(err);
    }
  }

  private render(v: DnaUserView): void {
    clear(this.view);
    this.view.classList.remove('hidden');
    const b = v.bases;
    const chips = (letter: string, items: string[]) => el('div', { class: 'badges' }, el('strong', {}, `${letter} `), ...(items.length ? items.map((x) => el('span', { class: 'badge' }, x)) : [el('span', { class: 'muted small' }, 'none')]));
    const domains = el('table', { id: 'dna-domains' }, el('tbody', {}, ...Object.entries(v.dna.domains).map(([name, d]) => el('tr', { 'data-domain': name }, el('td', {}, name), el('td', { class: 'num' }, d.strength.toFixed(2))))));
    const recompute = el('button', { type: 'button', id: 'dna-recompute' }, 'Recompute DNA');
    recompute.addEventListener('click', () => void this.recompute(recompute));
    const exportButton = el('button', { type: 'button', id: 'dna-export' }, 'Export passport (JSON lines)');
    exportButton.addEventListener('click', () => void this.exportPassport(v.userId));
    append(
      this.view,
      el('div', {}, el('strong', {}, v.displayName ?? v.userId), el('span', { class: 'muted' }, ` · ${v.email ?? 'no email'} · ${v.userId}`)),
      el('div', { class: 'muted small' }, `helix ${b.sequence || '(no bases yet)'} · ${fmtInt(v.dna.signals)} signals mirrored${v.dna.mirroredThrough ? ` through ${fmtTime(v.dna.mirroredThrough)}` : ''} · half-life ${v.dna.halfLifeDays} d · ${v.dna.dims} dims/domain`),
      chips('A', b.A),
      chips('T', b.T),
      chips('G', Object.entries(b.G).map(([k, x]) => `${k}=${String(x)}`)),
      chips('C', [b.C.location ?? 'no location', b.C.privacy.shareLocation ? 'location shared' : 'location private', b.C.privacy.allowMatching ? 'matching on' : 'matching off']),
      domains,
      el('div', { class: 'small', id: 'dna-similar' }, `closest DNA (of ${fmtInt(v.index.users)} indexed): `, ...(v.similar.length ? v.similar.map((s) => el('code', {}, `${s.userId.slice(0, 8)} ${s.score.toFixed(2)} `)) : [el('span', { class: 'muted' }, 'none')])),
      el('div', { style: 'display:flex;gap:8px;flex-wrap:wrap;margin-top:8px' }, recompute, exportButton),
    );
  }

  private async recompute(button: HTMLButtonElement): Promise<void> {
    if (!this.userId) return;
    button.disabled = true;
    try {
      const r = await api<DnaUserView & { recomputed: { events: number; truncated: boolean } }>(`/api/ops/dna/users/${encodeURIComponent(this.userId)}/recompute`, { method: 'POST' });
      this.render(r);
      this.note.textContent = `recomputed from ${fmtInt(r.recomputed.events)} passport events${r.recomputed.truncated ? ' (the newest only)' : ''}`;
    } catch (err) {
      this.onError(err);
    } finally {
      button.disabled = false;
    }
  }

  /** Fetches with the Bearer header (a plain link cannot send it) and saves the file. */
  private async exportPassport(userId: string): Promise<void> {
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
}
