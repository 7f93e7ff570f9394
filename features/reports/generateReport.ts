/**
 * A Coliseum report: a subject's metrics over a range against the range before, its board position, the daily trend
 * and its audience's DNA. A city, tournament or campaign has no DNA of its own, so its audience's centroid stands in
 * (the average match then measures how alike the audience is).
 */
import type { DnaRepository } from '../../persistence/mediaid/DnaRepository.js';
import type { DailyPoint, ReportRepository, Subject, RangeMetrics, LeaderboardPosition } from '../../persistence/reports/ReportRepository.js';
import { DNA_DOMAINS, profileEmbedding, unit, zeroVectors, type DnaSettings, type DomainVectors } from '../../systems/mediaid/dna.js';
import { audienceInsights, type Listener } from '../../systems/mediaid/audienceInsights.js';
import { catalogDna } from '../mediaid/audienceMatch.js';
import { campaignFigures, type CampaignBudget } from '../../systems/reports/campaign.js';
import { standings, type TournamentField } from '../../systems/reports/tournament.js';
import { percentOf } from '../../systems/numbers.js';

export interface ReportSettings {
  dna: DnaSettings;
  /** Most listeners whose DNA a report analyses (the audience read is bounded). */
  maxListeners: number;
  /** Audience clusters (k of k-means). */
  clusters: number;
  /** Most cities in a tournament. */
  tournamentMaxCities: number;
}

export interface ReportRequest {
  subject: Subject;
  from: Date;
  to: Date;
  label: string;
  /** A tournament's field, parsed from the entity id at the edge. */
  tournament?: TournamentField;
  /** A brand campaign's budget: the report then states its return. */
  budget?: CampaignBudget;
}

type Ports = { reports: ReportRepository; dna: DnaRepository };

/** A tournament's cities, lower-cased: the named ones, or the range's most engaged (at most `max`). */
async function tournamentCities(reports: ReportRepository, field: TournamentField, from: Date, to: Date, max: number): Promise<string[]> {
  return field.kind === 'named' ? field.cities : (await reports.cityEngagement(from, to, null, max)).map((c) => c.key);
}

/** A tournament's standings over the range and the one before it. */
async function tournamentBlock(reports: ReportRepository, s: Subject, field: TournamentField, from: Date, to: Date, prevFrom: Date, max: number) {
  const cities = s.cities ?? [];
  const [now, before] = await Promise.all([reports.cityEngagement(from, to, cities, max), reports.cityEngagement(prevFrom, from, cities, max)]);
  const names = new Map<string, string>(field.kind === 'named' ? field.cities.map((c, i) => [c, field.names[i]]) : []);
  for (const r of [...before, ...now]) names.set(r.key, r.name);
  const table = standings(cities, new Map(now.map((r) => [r.key, r.engagement])), new Map(before.map((r) => [r.key, r.engagement])), names);
  return { field: field.kind, metric: 'engagement', leaderboard: 'Top cities by engagement', ...table };
}

async function campaignBlock(reports: ReportRepository, s: Subject, from: Date, to: Date, metrics: RangeMetrics, budget: CampaignBudget | undefined) {
  const funnel = await reports.campaignFunnel(s.id, from, to);
  return campaignFigures({ ...funnel, purchases: metrics.purchases, revenue: metrics.revenue }, budget ?? null);
}

/** The metrics whose change against the previous range a report states, in this order. */
const CHANGED = ['events', 'uniqueUsers', 'plays', 'votes', 'attendance', 'visits', 'captures'] as const;

function trendOf(
  now: LeaderboardPosition | null,
  before: LeaderboardPosition | null,
): { trend: 'up' | 'down' | 'stable' | 'new' | null; change: number | null } {
  if (!now?.rank) return { trend: null, change: null };
  if (!before?.rank) return { trend: 'new', change: null };
  const change = before.rank - now.rank;
  return { trend: change > 0 ? 'up' : change < 0 ? 'down' : 'stable', change };
}

/** Every UTC day of `[from, to)`, zero where nothing happened (a trend line without gaps; ≤ 366 + 1 days). */
export function fillDays(points: DailyPoint[], from: Date, to: Date): DailyPoint[] {
  const byDay = new Map(points.map((p) => [p.day, p]));
  const out: DailyPoint[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, events: 0, uniqueUsers: 0 });
  }
  return out;
}

/** The centroid (as a sum: matching is by cosine) of the unit domain vectors. */
function centroid(vectors: DomainVectors[], dims: number): DomainVectors {
  const out = zeroVectors(dims);
  for (const v of vectors) for (const d of DNA_DOMAINS) unit(v[d]).forEach((x, j) => (out[d][j] += x));
  return out;
}

async function subjectDna(
  reports: ReportRepository,
  s: Subject,
  audience: DomainVectors[],
  dims: number,
): Promise<{ vectors: DomainVectors; source: 'catalog' | 'event' | 'audience' }> {
  if (s.type === 'artist' || s.type === 'event') {
    return { vectors: await catalogDna(reports, s.type, s.id, dims, () => []), source: s.type === 'artist' ? 'catalog' : 'event' };
  }
  return { vectors: centroid(audience, dims), source: 'audience' };
}

/** Builds the report JSON (stored as `report_data`). `nowMs`: the time the DNA is evaluated at. */
export async function generateReport(ports: Ports, req: ReportRequest, settings: ReportSettings, nowMs: number): Promise<Record<string, unknown>> {
  const { reports } = ports;
  const { from, to } = req;
  const s: Subject = req.tournament
    ? { ...req.subject, cities: await tournamentCities(reports, req.tournament, from, to, settings.tournamentMaxCities) }
    : req.subject;
  const span = to.getTime() - from.getTime();
  const prevFrom = new Date(from.getTime() - span);
  const [name, metrics, previous, daily, audienceIds] = await Promise.all([
    reports.namesOf(s.type, [s.id]).then((names) => names.get(s.id) ?? s.id), // an unnamed subject is named by its id
    reports.metrics(s, from, to),
    reports.metrics(s, prevFrom, from),
    reports.daily(s, from, to),
    reports.audience(s, from, to, settings.maxListeners + 1),
  ]);
  // One source per figure: the rank card's score is the tile's count for the same range.
  const position = await reports.position(s, from, to, metrics);
  const previousPosition = position && (await reports.position(s, prevFrom, from, previous, position));
  const stored = await ports.dna.dnaOfUsers(audienceIds.slice(0, settings.maxListeners), settings.maxListeners);
  const listeners: Listener[] = stored.map((d) => ({
    vectors: profileEmbedding(d.inputs, d.dynamic, nowMs, settings.dna),
    genres: d.inputs.genrePreferences,
    interests: d.inputs.interests,
  }));
  const listenerVectors = listeners.map((l) => l.vectors);
  const subjectVectors = await subjectDna(reports, s, listenerVectors, settings.dna.dims);
  const insights = audienceInsights(listeners, subjectVectors.vectors, settings.clusters);
  const [tournament, campaign] = await Promise.all([
    req.tournament ? tournamentBlock(reports, s, req.tournament, from, to, prevFrom, settings.tournamentMaxCities) : null,
    s.type === 'brand_campaign' ? campaignBlock(reports, s, from, to, metrics, req.budget) : null,
  ]);
  return {
    subject: { type: s.type, id: s.id, name },
    range: { from: from.toISOString(), to: to.toISOString(), label: req.label },
    metrics,
    previous: { from: prevFrom.toISOString(), to: from.toISOString(), metrics: previous },
    trends: {
      daily: fillDays(daily, from, to),
      changePercent: Object.fromEntries(CHANGED.map((k) => [k, percentOf(metrics[k] - previous[k], previous[k])])),
    },
    leaderboard: position ? { ...position, previousRank: previousPosition?.rank ?? null, ...trendOf(position, previousPosition) } : null,
    dna: { ...insights, audience: metrics.uniqueUsers, audienceCapped: audienceIds.length > settings.maxListeners, subjectDna: subjectVectors.source },
    ...(tournament ? { tournament } : {}),
    ...(campaign ? { campaign } : {}),
  };
}
