/**
 * The match index: every matchable profile in one Float32Array, so best match is one linear scan (100,000 users × 128
 * floats in a few ms; no pgvector here). Bounded by `maxUsers`; rebuilt when older than `ttlMs`.
 */
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import { DNA_DOMAINS, domainMask, profileEmbedding, type DnaSettings, type DomainVectors } from '../../systems/mediaid/dna.js';
import { flatten } from '../../systems/mediaid/audienceInsights.js';

export interface DnaIndexOptions extends DnaSettings {
  maxUsers: number;
  ttlMs: number;
  /** Profiles read per page while the index loads (DNA_INDEX_PAGE_SIZE). */
  pageSize: number;
}

export type SimilarUser = { userId: string; score: number };

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

export class DnaIndex {
  private ids: string[] = [];
  private vectors = new Float32Array(0);
  private masks = new Uint8Array(0);
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | null = null;
  /** More matchable users exist than `maxUsers`. */
  truncated = false;

  constructor(
    private readonly repo: DnaRepository,
    private readonly options: DnaIndexOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.ids.length;
  }

  /** Concurrent callers share one rebuild; only the first is awaited, a stale index answers while the next loads. */
  async ensureFresh(): Promise<void> {
    if (this.now() - this.loadedAt < this.options.ttlMs) return;
    const first = !Number.isFinite(this.loadedAt);
    this.loading ??= this.refresh().finally(() => (this.loading = null));
    if (first) await this.loading;
    else this.loading.catch(() => undefined); // a failed background rebuild is retried on the next call
  }

  /** Reads every matchable profile (paged by user id) and swaps the index in at the end. */
  async refresh(): Promise<void> {
    const width = DNA_DOMAINS.length * this.options.dims;
    const ids: string[] = [];
    const chunks: Float32Array[] = [];
    const masks: number[] = [];
    const at = this.now();
    let after: string | null = null;
    let truncated = false;
    const { pageSize } = this.options;
    for (;;) {
      const page = await this.repo.page(after, pageSize);
      for (const dna of page) {
        if (ids.length >= this.options.maxUsers) {
          truncated = true;
          break;
        }
        const e = profileEmbedding(dna.inputs, dna.dynamic, at, this.options);
        ids.push(dna.userId);
        chunks.push(Float32Array.from(flatten(e)));
        masks.push(domainMask(e));
      }
      if (truncated || page.length < pageSize) break;
      after = page[page.length - 1].userId;
    }
    const vectors = new Float32Array(ids.length * width);
    chunks.forEach((c, i) => vectors.set(c, i * width));
    this.ids = ids;
    this.vectors = vectors;
    this.masks = Uint8Array.from(masks);
    this.loadedAt = at;
    this.truncated = truncated;
  }

  /** The `limit` users whose DNA matches `query` best (mean cosine over shared domains), best first. */
  similar(query: DomainVectors, limit: number, exclude?: string): SimilarUser[] {
    const width = DNA_DOMAINS.length * this.options.dims;
    const q = Float32Array.from(flatten(query));
    const qMask = domainMask(query);
    const best: SimilarUser[] = [];
    const data = this.vectors;
    const dims = this.options.dims;
    // Only the query's domains can add to the dot product: skip the others' floats entirely.
    const spans = DNA_DOMAINS.map((_, d) => d)
      .filter((d) => qMask & (1 << d))
      .map((d) => d * dims);
    for (let i = 0, n = this.ids.length; i < n; i++) {
      const shared = POPCOUNT[qMask & this.masks[i]];
      if (shared === 0) continue;
      let dot = 0;
      const base = i * width;
      for (const start of spans) {
        for (let j = start, o = base + start, end = start + dims; j < end; j++, o++) dot += q[j] * data[o];
      }
      const score = dot / shared;
      if (best.length === limit && score <= best[limit - 1].score) continue;
      if (this.ids[i] === exclude) continue;
      const entry = { userId: this.ids[i], score };
      let k = best.length < limit ? best.push(entry) - 1 : limit - 1;
      while (k > 0 && best[k - 1].score < score) {
        best[k] = best[k - 1];
        k--;
      }
      best[k] = entry;
    }
    return best.map((b) => ({ userId: b.userId, score: Math.round(b.score * 1e4) / 1e4 }));
  }
}
