// A listening journey with @deepstream/realtime-client, the same in a browser (main.ts) and in Node (cli.ts):
// sign in a device, join, capture the station on air, search an artist and capture it, read the
// constellation journal, then share it and open the share as a friend would.
import { DeviceAuth, SessionClient, type JournalMessage, type SessionEvents, type TokenStore } from '@deepstream/realtime-client';

/** One step of the journey, for the page or the terminal. */
export type JourneyLog = (event: string, detail: Record<string, unknown>) => void;

/** What POST /api/constellations/share answers (201). */
interface ShareCreated {
  shareId: string;
  shareUrl: string;
  expiresAt: string;
}

/** What GET /api/shared/{id} answers; only the parts shown here (the constellation is a journal). */
interface SharedView {
  shareId: string;
  views: number;
  constellation: JournalMessage;
}

export interface JourneyOptions {
  /** The server's origin, e.g. https://realtime.example.com ('' = the page's own). */
  baseUrl: string;
  /** Where the device secret and tokens live (browser default: localStorage). */
  storage?: TokenStore;
  searchFor?: string;
}

export async function playJourney({ baseUrl, storage, searchFor = 'fela' }: JourneyOptions, log: JourneyLog): Promise<void> {
  const auth = new DeviceAuth({ baseUrl, deviceModel: 'journey-example', ...(storage ? { storage } : {}) });
  const session = new SessionClient(baseUrl, storage ? { storage } : {});
  // Every pushed message has a typed handler; these two arrive unasked after captures and orb taps.
  session.on('recommendations', (m) => log('recommendations', { count: m.recommendations.length }));
  session.on('suggestions', (m) => log('suggestions', { artistId: m.artistId, count: m.recommendations.length }));
  session.on('badge', (m) => log('badge', { badge: m.badge }));
  const failed = new Promise<never>((_, reject) => session.on('error', (e) => reject(new Error(`server refused ${e.for}: ${e.code} ${e.message}`))));
  const next = <K extends 'welcome' | 'locked' | 'captured' | 'search' | 'journal'>(event: K) =>
    Promise.race([new Promise<Parameters<SessionEvents[K]>[0]>((resolve) => session.on(event, resolve as SessionEvents[K])), failed]);

  const welcome = next('welcome');
  await session.connect({ deviceModel: 'journey-example', appVersion: '1.0.0' }, auth);
  log('welcome', { userId: auth.userId, sessionId: (await welcome).sessionId });

  const locked = next('locked');
  session.tune(99.9);
  const onAir = await locked;
  const first = next('captured');
  session.capture();
  log('captured', { artistId: (await first).star.artistId, totalStars: (await first).totalStars });

  const found = next('search');
  session.search({ q: searchFor, limit: 5, requestId: 'journey-1' });
  const answer = await found;
  const pick = answer.results.find((r) => !r.inConstellation && r.artist.id !== onAir.artistId);
  log('search', { requestId: answer.requestId, results: answer.results.length, pick: pick?.artist.id ?? null });
  if (!pick) throw new Error(`no artist to capture among the results for "${searchFor}"`);
  const second = next('captured');
  session.capture(crypto.randomUUID(), pick.artist.id);
  log('captured', { artistId: (await second).star.artistId, totalStars: (await second).totalStars });

  const journal = next('journal');
  session.journal();
  const j = await journal;
  log('journal', { stars: j.stars.map((s) => s.artist.id), connections: j.statistics.totalConnections, clusters: j.clusters.map((c) => c.name) });

  const share = await shareConstellation(baseUrl, auth, 'My first two stars');
  log('shared', { shareId: share.shareId, shareUrl: share.shareUrl });
  const res = await fetch(`${baseUrl}/api/shared/${share.shareId}`); // a friend, not signed in
  const view = (await res.json()) as SharedView;
  log('viewed', { status: res.status, stars: view.constellation.stars.map((s) => s.artist.id) });
  await session.leave();
}

/** POST /api/constellations/share with the access token; a 401 means it went stale: renew once and retry. */
async function shareConstellation(baseUrl: string, auth: DeviceAuth, message: string): Promise<ShareCreated> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${baseUrl}/api/constellations/share`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await auth.accessToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shareType: 'public_link', message }),
    });
    if (res.status === 401 && attempt === 0) {
      auth.invalidate();
      continue;
    }
    if (res.status !== 201) throw new Error(`share refused: ${res.status} ${await res.text()}`);
    return (await res.json()) as ShareCreated;
  }
}
