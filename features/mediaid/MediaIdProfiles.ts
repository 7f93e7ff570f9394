/** MediaID as its routes use it: the owner's view and match, and DIA's operator tools. */
import { MIN_LOOKUP_CHARS, type DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { MediaIdStore } from '../../persistence/mediaid/MediaIdStore.js';
import type { ReportRepository } from '../../persistence/reports/ReportRepository.js';
import { AppError } from '../../systems/errors.js';
import { bandOf, DNA_DOMAINS, match, profileEmbedding, type DnaSettings } from '../../systems/mediaid/dna.js';
import { applyBody, type MediaIdBody } from '../../systems/mediaid/inputs.js';
import type { DnaIndex } from './DnaIndex.js';
import { catalogDna } from './audienceMatch.js';
import { dnaTimeline } from '../../systems/mediaid/dnaHistory.js';
import { dnaView, r4, type DnaView } from './dnaView.js';

/** The closest users DIA's user view lists beside the DNA. */
const VIEW_SIMILAR_ROWS = 5;

export interface MediaIdProfilesDeps {
  store: MediaIdStore;
  dna: DnaRepository;
  reports: ReportRepository;
  index: DnaIndex;
  settings: DnaSettings & { halfLifeDays: number; recomputeMaxEvents: number; exportMaxRows: number; historyMaxPerUser?: number };
}

/** What the owner's DNA is matched against: an artist of the catalog or a Concierto event. */
export type MatchTarget = { artistId: string } | { eventId: string };

export class MediaIdProfiles {
  private readonly now = Date.now;

  constructor(private readonly d: MediaIdProfilesDeps) {}

  /** The user's MediaID with bases and DNA by domain; null when there is no such user. */
  async view(userId: string): Promise<DnaView | null> {
    const [record, stored] = await Promise.all([this.d.store.get(userId), this.d.dna.dnaOf(userId)]);
    return record ? dnaView(record, stored, this.d.settings, this.now()) : null;
  }

  /** Sets the inputs the body names (the rest keep their value); null when there is no such user. */
  async update(userId: string, body: MediaIdBody): Promise<DnaView | null> {
    const current = await this.d.store.get(userId);
    if (!current) return null;
    await this.d.store.save(userId, applyBody(current.inputs, body), { displayName: body.displayName, email: body.email?.toLowerCase() }, new Date(this.now()));
    return this.view(userId);
  }

  /** How the user's DNA matches an artist or an event: score, band, per-domain scores (NOT_FOUND for an unknown user or artist). */
  async matchWith(userId: string, target: MatchTarget) {
    const [record, stored] = await Promise.all([this.d.store.get(userId), this.d.dna.dnaOf(userId)]);
    if (!record) throw new AppError('NOT_FOUND', 'this user no longer exists; sign in again');
    const { dims } = this.d.settings;
    const [kind, id] = 'artistId' in target ? (['artist', target.artistId] as const) : (['event', target.eventId] as const);
    const vectors = await catalogDna(this.d.reports, kind, id, dims, () => {
      throw new AppError('NOT_FOUND', `no artist "${id}" in the catalog`);
    });
    const m = match(profileEmbedding(record.inputs, stored?.dynamic ?? null, this.now(), this.d.settings), vectors);
    const domains = Object.fromEntries(DNA_DOMAINS.map((dm) => [dm, m.domains[dm] === null ? null : r4(m.domains[dm] as number)]));
    return { score: r4(m.score), band: bandOf(m.score), domains, topDomain: m.topDomain };
  }

  /** DIA lookup by id, device, email or display name; a hint when the query is too short to search by prefix. */
  async lookup(query: string, limit: number) {
    const users = await this.d.dna.lookup(query, limit);
    const hint =
      query.length < MIN_LOOKUP_CHARS
        ? `searches need at least ${MIN_LOOKUP_CHARS} characters (a shorter prefix would match a large share of all users)`
        : undefined;
    return { users, ...(hint ? { hint } : {}) };
  }

  /** DIA's view of a user: the owner's view, the closest users (named by display name or email) and the index's size; null without the user. */
  async diaView(userId: string) {
    const [record, stored] = await Promise.all([this.d.store.get(userId), this.d.dna.dnaOf(userId)]);
    if (!record) return null;
    const { index, settings } = this.d;
    await index.ensureFresh();
    const closest = index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, this.now(), settings), VIEW_SIMILAR_ROWS, userId);
    const names = await this.d.store.namesOf(closest.map((s) => s.userId));
    const similar = closest.map((s) => ({ ...s, name: names.get(s.userId) ?? null }));
    return { ...dnaView(record, stored, settings, this.now()), similar, index: { users: index.size, truncated: index.truncated } };
  }

  /** The users whose DNA is closest, with what the scan cost; null when there is no such user. */
  async similarTo(userId: string, limit: number) {
    const [record, stored] = await Promise.all([this.d.store.get(userId), this.d.dna.dnaOf(userId)]);
    if (!record) return null;
    const { index, settings } = this.d;
    await index.ensureFresh();
    const started = performance.now();
    const users = index.similar(profileEmbedding(record.inputs, stored?.dynamic ?? null, this.now(), settings), limit, userId);
    return { users, scannedUsers: index.size, truncated: index.truncated, scanMs: Math.round((performance.now() - started) * 100) / 100 };
  }

  /** Rebuilds the user's DNA from their passport now (bounded), then DIA's view; null when there is no such user. */
  async recompute(userId: string) {
    if (!(await this.d.store.get(userId))) return null;
    const result = await this.d.dna.recompute(userId, this.d.settings.recomputeMaxEvents);
    const recomputed = { ...result, at: new Date(this.now()).toISOString() };
    const view = await this.diaView(userId);
    return view && { recomputed, ...view };
  }

  /** The user's DNA evolution, newest first (at most `limit` snapshots); null when there is no such user. */
  async history(userId: string, limit: number) {
    if (!(await this.d.store.get(userId))) return null;
    const kept = this.d.settings.historyMaxPerUser ?? limit;
    return { userId, kept, entries: dnaTimeline(await this.d.dna.snapshots(userId, Math.min(limit, kept))) };
  }

  /** The user's passport as JSON lines, oldest first, at most `limit` (and DNA_EXPORT_MAX_ROWS); null when there is no such user. */
  async exportPassport(userId: string, limit: number | undefined): Promise<AsyncGenerator<string> | null> {
    if (!(await this.d.store.get(userId))) return null;
    const max = this.d.settings.exportMaxRows;
    return this.d.dna.exportPassport(userId, Math.min(limit ?? max, max));
  }
}
