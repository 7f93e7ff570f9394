/**
 * The share page `/shared/:id`: reads `GET /api/shared/:id` and draws the
 * constellation with the /play map (web/src/play/constellation.ts, the one sky of every view), its stars,
 * clusters and insights in the owner's voice, and an invitation to start one's own. Public: no account needed;
 * a listener signed in on /play sends their token, so a friend of the owner sees the owner's name.
 */
import { DeviceAuth } from '../play/auth.js';
import { ConstellationMap } from '../play/constellation.js';
import type { CapturedMessage, StarConnection, Vec3 } from '../play/protocol.js';
import { $, append, clear, el } from '../shared/dom.js';
import '../../public/share.css';
import { inOwnersVoice } from './voice.js';

/** What the page reads of the share (docs/PROTOCOL.md "Constellation journal and sharing"). */
interface SharedView {
  owner: { displayName: string };
  message: string | null;
  views: number;
  expiresAt: string;
  constellation: {
    stars: Array<{ id: string; artist: { id: string; name: string; era: string; genre: string }; position: Vec3 }>;
    connections: Array<{ fromStarId: string; toStarId: string; strength: number; type: StarConnection['type'] }>;
    clusters: Array<{ name: string; stars: string[]; color?: string }>;
    insights: string[];
  };
}

const id = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
const canvas = $<HTMLCanvasElement>('#constellation');
const map = new ConstellationMap(canvas);
const status = $('#status');

/** The share as `captured` messages: the /play map takes stars that way (no fly-in: they are settled). */
function asCaptures(view: SharedView): CapturedMessage[] {
  const artistOf = new Map(view.constellation.stars.map((s) => [s.id, s.artist.id]));
  return view.constellation.stars.map((s, i) => ({
    alreadyCaptured: true,
    star: { artistId: s.artist.id, artistName: s.artist.name, position: s.position },
    connections:
      i === 0
        ? view.constellation.connections.map((c) => ({
            from: artistOf.get(c.fromStarId) ?? '',
            to: artistOf.get(c.toStarId) ?? '',
            strength: c.strength,
            type: c.type,
          }))
        : [],
    flyAway: null,
    totalStars: i + 1,
    badgesEarned: [],
    nextMilestone: null,
  }));
}

function show(view: SharedView): void {
  const now = performance.now();
  for (const msg of asCaptures(view)) map.add(msg, now);
  // The journal's cluster colours: each star's halo and name in its cluster's colour.
  const artistOf = new Map(view.constellation.stars.map((s) => [s.id, s.artist.id]));
  map.setClusters(view.constellation.clusters.filter((c) => c.color).map((c) => ({ color: c.color!, artistIds: c.stars.map((id) => artistOf.get(id) ?? '') })));
  const draw = () => map.render(performance.now());
  draw();
  new ResizeObserver(draw).observe(canvas);
  map.animate();
  const owner = view.owner.displayName;
  $('#title').textContent = `${owner}'s constellation`;
  document.title = `${owner}'s constellation · DeepStream`;
  // Mid-sentence, an owner with no name ("A listener", the server's stand-in) reads "an artist a listener found".
  $('#owner-name').textContent = /^A listener$/.test(owner) ? 'a listener' : owner;
  $('#message').textContent = view.message ? `“${view.message}”` : '';
  const { stars, clusters, insights } = view.constellation;
  $('#summary').textContent =
    `${stars.length} star${stars.length === 1 ? '' : 's'} · ${view.views} view${view.views === 1 ? '' : 's'} · until ${view.expiresAt.slice(0, 10)}`;
  const list = (sel: string, items: Array<Node | string>) => {
    clear($(sel));
    for (const item of items) append($(sel), el('li', {}, item));
  };
  list(
    '#stars',
    stars.map((s) => `${s.artist.name} · ${s.artist.genre} · ${s.artist.era}`),
  );
  list(
    '#clusters',
    clusters.map((c) => `${c.name} (${c.stars.length})`),
  );
  list(
    '#insights',
    insights.map((text) => inOwnersVoice(text, owner)),
  );
  status.textContent = '';
  document.body.dataset.stars = String(map.stars.size);
}

/** Unknown or expired: a page that says so and where to go, not an empty sky. */
function showMissing(status: number, message: string): void {
  $('#shared').hidden = true;
  $('#invite').hidden = true;
  $('#summary').hidden = true;
  $('#missing').hidden = false;
  $('#missing-title').textContent =
    status === 410 ? 'This shared constellation has expired' : status === 404 ? 'No shared constellation here' : 'This constellation could not be loaded';
  $('#missing-text').textContent = message;
  $('#title').hidden = true;
  document.body.dataset.error = String(status);
}

async function load(): Promise<void> {
  const token = new DeviceAuth().currentToken();
  const res = await fetch(`/api/shared/${encodeURIComponent(id)}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const body = (await res.json()) as SharedView & { message?: string; error?: string };
  if (!res.ok) return showMissing(res.status, body.message ?? `the share could not be loaded (${res.status})`);
  show(body);
}

void load().catch((err: Error) => showMissing(0, `the share could not be loaded: ${err.message}; check your connection and reload`));
