/**
 * /ops "Artist images" section: cut-outs the model was unsure of, each
 * with its before (the upload) and after (the cut-out on a checkerboard, so transparency shows) side by
 * side, and approve / reject. The previews are admin-only, so they are fetched with the token and shown
 * from blob URLs. Builds its own DOM inside #dashboard.
 */
import type { AssetReview as ReviewView } from '../../../clients/ts/src/ops.js';
import { append, clear, el, fmtTime } from '../shared/dom.js';
import { api, token } from './api.js';
import { failureInWords, toast } from './feedback.js';

export class AssetReviewsPanel {
  readonly root: HTMLElement;
  private readonly list: HTMLElement;
  private readonly urls = new Map<string, string>();
  private seq = 0;
  private shown = '';

  constructor(
    container: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {
    this.list = el('div', { id: 'asset-reviews-list', class: 'asset-reviews' });
    this.root = el(
      'section',
      { class: 'card', id: 'asset-reviews' },
      el('h2', {}, 'Artist images to review'),
      el('p', { class: 'muted small' }, 'Cut-outs the background-removal model was unsure of. Nothing here is served until approved; a rejected one never is.'),
      this.list,
    );
    container.appendChild(this.root);
  }

  reset(): void {
    this.seq++;
    this.shown = '';
    clear(this.list);
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
  }

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const { reviews } = await api<{ reviews: ReviewView[] }>('/api/ops/assets/reviews');
      // Repaint only on change: a repaint would reload every preview.
      const key = JSON.stringify(reviews);
      if (mine === this.seq && key !== this.shown) {
        this.shown = key;
        this.render(reviews);
      }
    } catch (err) {
      this.onError(err);
    }
  }

  private render(reviews: ReviewView[]): void {
    clear(this.list);
    if (reviews.length === 0) append(this.list, el('p', { class: 'muted' }, 'Nothing to review.'));
    for (const r of reviews) append(this.list, this.card(r));
  }

  private card(r: ReviewView): HTMLElement {
    const pending = r.status === 'pending';
    const figure = (side: 'before' | 'after', label: string) => {
      const img = el('img', { alt: `${label}: ${r.artistName ?? r.artistId}`, 'data-side': side, class: side === 'after' ? 'checker' : '' });
      void this.preview(r.id, side).then((url) => url && img.setAttribute('src', url));
      return el('figure', {}, img, el('figcaption', { class: 'small muted' }, label));
    };
    const actions = el('div', { class: 'actions' });
    if (pending) {
      const approve = el('button', { type: 'button', class: 'primary', 'data-action': 'approve' }, 'Approve');
      const reject = el('button', { type: 'button', 'data-action': 'reject' }, 'Reject');
      approve.addEventListener('click', () => void this.decide(r, 'approve', [approve, reject]));
      reject.addEventListener('click', () => void this.decide(r, 'reject', [approve, reject]));
      append(actions, approve, reject);
    }
    return el(
      'article',
      { class: `asset-review ${r.status}`, 'data-review': r.id },
      el(
        'header',
        {},
        el('strong', {}, r.artistName ?? r.artistId),
        el('span', { class: `badge ${pending ? 'warn' : r.status === 'approved' ? 'ok' : 'bad'}`, 'data-field': 'status' }, r.status),
        el('span', { class: 'small muted' }, `confidence ${r.confidence.toFixed(2)} · ${fmtTime(r.decidedAt ?? r.createdAt)}`),
      ),
      el('p', { class: 'small muted' }, r.reason),
      el('div', { class: 'before-after' }, figure('before', 'Before'), figure('after', 'After')),
      actions,
    );
  }

  private async preview(id: string, side: 'before' | 'after'): Promise<string | null> {
    const key = `${id}/${side}`;
    const known = this.urls.get(key);
    if (known) return known;
    const bearer = token.get();
    if (!bearer) return null;
    const res = await fetch(`/api/ops/assets/reviews/${encodeURIComponent(id)}/${side}`, { headers: { authorization: `Bearer ${bearer}` }, cache: 'no-store' });
    if (!res.ok) return null;
    const url = URL.createObjectURL(await res.blob());
    this.urls.set(key, url);
    return url;
  }

  private async decide(r: ReviewView, action: 'approve' | 'reject', buttons: HTMLButtonElement[]): Promise<void> {
    for (const b of buttons) b.disabled = true;
    this.seq++; // a poll that started before the decision must not repaint the old queue
    try {
      const { reviews } = await api<{ reviews: ReviewView[] }>(`/api/ops/assets/reviews/${encodeURIComponent(r.id)}/${action}`, { method: 'POST' });
      toast(`${r.artistName ?? r.artistId}: ${action === 'approve' ? 'approved, now live' : 'rejected, never served'}`);
      this.shown = JSON.stringify(reviews);
      this.render(reviews);
    } catch (err) {
      toast(failureInWords(err, r.artistName ?? r.artistId), 'error');
      for (const b of buttons) b.disabled = false;
    }
  }
}
