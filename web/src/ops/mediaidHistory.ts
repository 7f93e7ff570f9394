/**
 * DNA evolution on the DIA user page: the strength of each DNA
 * domain across the user's snapshots as four lines (SVG), and the snapshots newest first with what changed —
 * signals mirrored since the one before and the domain that drifted most.
 */
import { append, clear, el, fmtInt, fmtTime } from '../shared/dom.js';
import { api } from './api.js';

const DOMAINS = ['cultural', 'behavioral', 'economic', 'spatial'] as const;
type Domain = (typeof DOMAINS)[number];
export const DOMAIN_COLOURS: Record<Domain, string> = { cultural: '#ff6b35', behavioral: '#9ccfd8', economic: '#ffd700', spatial: '#a6e3a1' };

export interface HistoryEntry {
  takenAt: string;
  trigger: 'recompute' | 'mirroring';
  signals: number;
  newSignals: number | null;
  strength: Record<Domain, number>;
  drift: Record<Domain, number | null> | null;
}

/** Each domain's strength over the entries (oldest first) as points in the box, the strongest at the top. */
export function strengthPoints(oldestFirst: readonly HistoryEntry[], width: number, height: number): Record<Domain, Array<[number, number]>> {
  const max = Math.max(1e-9, ...oldestFirst.flatMap((e) => DOMAINS.map((d) => e.strength[d])));
  const pad = 6;
  const x = (i: number) => pad + (oldestFirst.length === 1 ? (width - 2 * pad) / 2 : (i / (oldestFirst.length - 1)) * (width - 2 * pad));
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  return Object.fromEntries(DOMAINS.map((d) => [d, oldestFirst.map((e, i) => [Math.round(x(i) * 10) / 10, Math.round(y(e.strength[d]) * 10) / 10])])) as Record<
    Domain,
    Array<[number, number]>
  >;
}

const SVG = 'http://www.w3.org/2000/svg';

function chart(oldestFirst: readonly HistoryEntry[]): SVGSVGElement {
  const node = document.createElementNS(SVG, 'svg');
  node.setAttribute('viewBox', '0 0 320 90');
  node.setAttribute('class', 'dna-history-chart');
  node.setAttribute('role', 'img');
  const title = document.createElementNS(SVG, 'title');
  title.textContent = 'DNA strength per domain over the snapshots, oldest on the left';
  node.appendChild(title);
  for (const [domain, points] of Object.entries(strengthPoints(oldestFirst, 320, 90))) {
    const colour = DOMAIN_COLOURS[domain as Domain];
    if (points.length > 1) {
      const path = document.createElementNS(SVG, 'path');
      path.setAttribute('d', points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x} ${y}`).join(' '));
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', colour);
      path.setAttribute('stroke-width', '2');
      path.setAttribute('data-domain', domain);
      node.appendChild(path);
    }
    // A dot per snapshot: one snapshot is a point, not an empty chart.
    for (const [x, y] of points) {
      const dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', String(x));
      dot.setAttribute('cy', String(y));
      dot.setAttribute('r', '2.5');
      dot.setAttribute('fill', colour);
      node.appendChild(dot);
    }
  }
  return node;
}

/** The domain that moved most since the snapshot before, as "cultural 0.12", or "—". */
function mostDrift(e: HistoryEntry): string {
  if (!e.drift) return '—';
  const [domain, value] = DOMAINS.map((d) => [d, e.drift![d]] as const)
    .filter((x): x is readonly [Domain, number] => x[1] !== null)
    .sort((a, b) => b[1] - a[1])[0] ?? [null, null];
  return domain ? `${domain} ${value.toFixed(2)}` : '—';
}

/** Loads and draws a user's DNA timeline into `root`. */
export async function showDnaHistory(root: HTMLElement, userId: string, onError: (err: unknown) => void): Promise<void> {
  clear(root);
  try {
    const { entries, kept } = await api<{ entries: HistoryEntry[]; kept: number }>(`/api/ops/dna/users/${encodeURIComponent(userId)}/history?limit=50`);
    if (!entries.length) {
      append(root, el('p', { class: 'muted small' }, 'No snapshots yet: one is taken at each recompute and when the mirroring changes the DNA.'));
      return;
    }
    const legend = el('div', { class: 'small legend' }, ...DOMAINS.map((d) => el('span', { style: `color:${DOMAIN_COLOURS[d]}` }, `■ ${d} `)));
    const rows = entries.map((e) =>
      el(
        'tr',
        { 'data-trigger': e.trigger },
        el('td', { class: 'small nowrap' }, fmtTime(e.takenAt)),
        el('td', { class: 'small' }, e.trigger),
        el('td', { class: 'num' }, `${fmtInt(e.signals)}${e.newSignals !== null ? ` (${e.newSignals >= 0 ? '+' : ''}${fmtInt(e.newSignals)})` : ''}`),
        el('td', { class: 'small' }, mostDrift(e)),
      ),
    );
    append(
      root,
      chart([...entries].reverse()),
      legend,
      el(
        'div',
        { class: 'scroll-x' },
        el(
          'table',
          { id: 'dna-history' },
          el('thead', {}, el('tr', {}, el('th', {}, 'snapshot'), el('th', {}, 'by'), el('th', { class: 'num' }, 'signals'), el('th', {}, 'drifted most'))),
          el('tbody', {}, ...rows),
        ),
      ),
      el('p', { class: 'muted small' }, `${entries.length} shown; at most ${fmtInt(kept)} kept per user.`),
    );
  } catch (err) {
    onError(err);
  }
}
