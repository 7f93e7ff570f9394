/**
 * /play — a web session player and the reference client for the iOS team:
 *   drag-flick (mouse or touch) anywhere on the dial or the scene → `swipe` with the release velocity;
 *   the swipe's glide comes in one patch and is drawn from its formula on the server clock (clients/ts glide.ts), and
 *   `locked` follows when it settles on a station; orbs orbit the artist on the same clock (orbits.ts);
 *   click one → `tap_orb` → `transition`
 *   (the camera path is animated locally); C / the button → `capture` → the constellation grows.
 */
import '../../public/play.css';
import { $, append, clear, el } from '../shared/dom.js';
import { ConstellationMap, type SavedConstellation } from './constellation.js';
import type { RecommendationsMessage } from '../../../clients/ts/src/messages.js';

type RecommendedArtist = RecommendationsMessage['recommendations'][number];
import { DialStrip, labelFromArtistId } from './dial.js';
import { dialFrequencyAt } from '../../../clients/ts/src/glide.js';
import { FlickTracker } from './gesture.js';
import { ServerClock, sampleCameraPath } from './orbits.js';
import type { SessionStateView, TransitionMessage, SwipeMessage } from './protocol.js';
import { OrbitScene } from './scene.js';
import { Backoff, SessionClient } from './session.js';
import { serverEndpoint } from '../shared/endpoint.js';
import { ConnectionPill } from '../shared/connectionPill.js';
import { DeviceAuth } from './auth.js';
import { setupPanels } from './panels.js';
import { StationSound, type Crossfade } from './sound.js';
import { CaptureMoment } from './captureMoment.js';
import { ArtworkCache, type StationPictures } from './artwork.js';
import { InboxPanel } from './inbox.js';
import { authedFetch, jsonOf } from './api.js';
import { RideView } from './ride.js';

const LAST_SESSION_KEY = 'ds.play.lastSessionId';
/** Velocity of a keyboard "swipe" (a brisk flick: 850 px/s ≈ 4.25 MHz). */

const ui = {
  status: $('#status'),
  stationName: $('#station-name'),
  stationMeta: $('#station-meta'),
  frequency: $('#frequency'),
  lock: $('#lock'),
  badges: $('#badges'),
  picks: $('#recommendations'),
  starList: $('#star-list'),
  log: $('#log'),
  stage: $<HTMLCanvasElement>('#scene'),
  dial: $<HTMLCanvasElement>('#dial'),
  map: $<HTMLCanvasElement>('#constellation'),
};

const session = new SessionClient(serverEndpoint(location));
const pill = new ConnectionPill(ui.status);
const auth = new DeviceAuth('web');
const artwork = new ArtworkCache();
const scene = new OrbitScene(ui.stage, artwork, $('.now-caption'), $('.controls'));
const dial = new DialStrip(ui.dial);
const touch = window.matchMedia('(pointer: coarse)').matches;
// The empty map's hint names the key only where there is a keyboard.
const constellation = new ConstellationMap(ui.map, touch ? { emptyText: 'Tap ★ Capture to place a star' } : {});
// After the map (it wraps its canvas): the map's wrapper is what comes into view on a capture.
const moment = new CaptureMoment($<HTMLButtonElement>('#capture'), $('#stars-count'), ui.map.parentElement!, $('.stage'));
const clock = new ServerClock();
const flick = new FlickTracker();
let transition: { msg: TransitionMessage; startedAt: number } | null = null;
let hoverOrbId: string | null = null;
const tuneTo = (frequency: number, name: string): void => {
  session.tune(frequency);
  log(`tuning to ${name} (${frequency.toFixed(1)} MHz)`);
};
const inbox = new InboxPanel($('#panel-inbox'), auth, {
  markRead: (request) => session.markNotificationsRead(request),
  tune: tuneTo,
  holds: (artistId) => constellation.stars.has(artistId),
  announce: (text) => moment.say(`✉ ${text}`),
});
const panels = setupPanels(auth, tuneTo, inbox);
$('#inbox-button').addEventListener('click', () => {
  panels.open('inbox');
  // On a phone the panel is below the stage: bring it up.
  if ($('#panel-inbox').getBoundingClientRect().top > innerHeight) $('#tabs').scrollIntoView({ behavior: 'smooth', block: 'start' });
});

function log(text: string, kind: 'info' | 'error' = 'info'): void {
  ui.log.prepend(el('li', { class: kind }, `${new Date().toLocaleTimeString('en-GB', { hour12: false })}  ${text}`));
  while (ui.log.children.length > 8) ui.log.lastElementChild?.remove();
}
const ride = new RideView(session, () => auth.userId, log);

// ── server → page ───────────────────────────────────────────────────────────────────────────────

// On a touch screen the hint speaks of fingers, not a mouse and keys.
if (touch) $('#hint').textContent = 'swipe the dial to tune · tap an orb to fly · ★ to capture';

/** Whether the saved constellation was read (once per page load). */
let restored = false;
// A server restart or deploy moves the session and it comes back by itself: the pill says so, quietly.
session.on('connection', (status, detail) => {
  pill.show(status, detail);
  if (status === 'closed') moment.settled();
  else moment.connection(status === 'connected');
  if (status === 'closed' && detail) log(detail, 'error');
  // A reload rejoins the held seat (no `welcome` then): the constellation is read on the first connection either way.
  if (status === 'connected' && !restored) {
    restored = true;
    void restoreConstellation();
  }
});

session.on('welcome', (m) => {
  clock.seed(m.serverTime, Date.now());
  // A few round trips right away, then now and then: the shortest one sets the clock for orb motion.
  for (const delay of [0, 300, 900]) setTimeout(() => session.syncClock(), delay);
  localStorage.setItem(LAST_SESSION_KEY, m.sessionId);
  log(`${m.message}${m.resumed ? ' (session resumed)' : ''}`);
});

// Back after a move or a crash: the same session, on another server; its clock is another machine's.
session.on('resumed', (m) => {
  clock.seed(m.serverTime, Date.now());
  for (const delay of [0, 300, 900]) setTimeout(() => session.syncClock(), delay);
  localStorage.setItem(LAST_SESSION_KEY, m.sessionId);
});
session.on('warning', (detail) => log(detail));

/** The last list the server pushed: shown again, without the artists captured since, after each capture. */
let lastPicks: { picks: RecommendedArtist[]; why: string } | null = null;

/** The stars captured before this page load (a reload, another device): drawn as they are, no fly-in. */
async function restoreConstellation(): Promise<void> {
  try {
    // The token the join just used (asking for a fresh one could refresh it a second time).
    const token = auth.currentToken() ?? (await auth.accessToken());
    const res = await fetch('/api/constellations/me', { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /api/constellations/me answered ${res.status}`);
    constellation.restore((await res.json()) as SavedConstellation, performance.now());
    renderStarList();
    if (lastPicks) showPicks(lastPicks.picks, lastPicks.why);
    // The room pushes picks after a capture only: a reload or a new tab reads the listener's current list.
    else if (constellation.stars.size) void restorePicks();
    if (session.state) showState(session.state);
  } catch (err) {
    log(`your constellation could not be loaded: ${(err as Error).message}`, 'error');
  }
}

async function restorePicks(): Promise<void> {
  try {
    const list = await jsonOf<{ recommendations: RecommendedArtist[] }>(await authedFetch(auth, '/api/recommendations'));
    if (!lastPicks) showPicks(list.recommendations, 'recommended for you');
  } catch (err) {
    log(`your recommendations could not be loaded: ${(err as Error).message}`, 'error');
  }
}

session.on('clock', (m) => clock.sample(m.t0, m.serverTime, Date.now()));
setInterval(() => session.syncClock(), 60_000);

const sound = new StationSound($<HTMLButtonElement>('#sound'));
/** An orb flight's own crossfade schedule, used when its lock arrives. */
let flightCrossfade: Crossfade | undefined;

session.on('state', (state) => {
  showState(state);
  if (state.dial.locked) {
    sound.tune(state.station.frequency, flightCrossfade);
    flightCrossfade = undefined;
  }
});

session.on('locked', (m) => log(`locked on ${m.frequency.toFixed(1)} MHz`));
session.on('transition', (m) => {
  transition = { msg: m, startedAt: performance.now() };
  flightCrossfade = m.audioCrossfade;
  log(`flying to ${session.state?.orbs.get(m.orbId)?.name ?? m.toArtistId}`);
});
session.on('captured', (m) => {
  moment.settled();
  constellation.add(m, performance.now());
  renderStarList();
  if (lastPicks) showPicks(lastPicks.picks, lastPicks.why);
  inbox.captured(m.star.artistId);
  if (!m.alreadyCaptured) {
    panels.captured();
    moment.captured(m.totalStars);
  } else moment.say(`${m.star.artistName} is already in your constellation`);
  if (session.state) showState(session.state);
  log(m.alreadyCaptured ? `${m.star.artistName}: ${m.message ?? 'already captured'}` : `★ captured ${m.star.artistName} (${m.totalStars} stars)`);
});
session.on('badge', (m) => log(`badge earned: ${m.badge}`));
session.on('recommendations', (m) => showPicks(m.recommendations, 'recommended for you', true));
session.on('suggestions', (m) => showPicks(m.recommendations, 'try next', true));
session.on('star_connection', (m) => log(`a line joins ${m.from} and ${m.to}`));
session.on('tip', (m) => log(m.message));
session.on('notifications', (m) => inbox.received(m));
session.on('notification', (m) => inbox.arrived(m));

/**
 * Recommended artists, each a button that tunes to its station (artists with no station are shown, not
 * tunable). Never an artist already in the constellation: a list pushed before a capture (the server
 * coalesces recommendations for 30 s) would otherwise keep offering the star just captured.
 */
function showPicks(all: RecommendedArtist[], why: string, pushed = false): void {
  if (pushed) ui.picks.dataset.pushes = String(Number(ui.picks.dataset.pushes ?? 0) + 1);
  lastPicks = { picks: all, why };
  const picks = all.filter((p) => !constellation.stars.has(p.artist.id));
  clear(ui.picks);
  if (picks.length === 0) return void append(ui.picks, el('li', { class: 'muted' }, 'nothing new to recommend yet'));
  append(
    ui.picks,
    ...picks.slice(0, 5).map((p) => {
      const station = p.artist.station;
      const button = el(
        'button',
        { type: 'button', title: `${why}: ${p.reason}`, 'data-artist': p.artist.id, ...(station === null ? { disabled: '' } : {}) },
        `${p.artist.name}${station === null ? '' : ` · ${station.toFixed(1)}`}`,
      );
      if (station !== null) button.addEventListener('click', () => session.tune(station));
      return el('li', {}, button);
    }),
  );
}
session.on('error', (m) => {
  if (m.for === 'capture') {
    moment.settled();
    if (session.state) showState(session.state);
  }
  log(`${m.for}: ${m.code} — ${m.message}`, 'error');
});

/**
 * What the station payload (cached by the server) says of the pictures: the artist's processed cover and each
 * orb's thumbnail, else the generated poster (artwork.ts). Asked once per station.
 */
let picturesOf = '';
function learnPictures(artistId: string, frequency: number): void {
  if (!artistId || picturesOf === artistId) return;
  picturesOf = artistId;
  void fetch(`/api/stations/${frequency.toFixed(1)}`)
    .then((res) => (res.ok ? (res.json() as Promise<StationPictures>) : null))
    .then((station) => {
      if (station?.artist?.id === artistId) artwork.learn(station);
      else artwork.setSource(artistId, null);
    })
    .catch(() => artwork.setSource(artistId, null));
}

function showState(state: SessionStateView): void {
  document.body.dataset.station = state.station.artistName;
  document.body.dataset.artist = state.station.artistId;
  ui.stationName.textContent = state.station.artistName || '…';
  learnPictures(state.station.artistId, state.station.frequency);
  ui.stationMeta.textContent = [state.station.genre, state.station.era].filter(Boolean).join(' · ');
  ui.stationMeta.title = ui.stationMeta.textContent; // whole, where a phone cuts the line
  ui.lock.textContent = state.dial.locked ? 'locked' : `→ ${state.dial.predicted.toFixed(1)}`;
  ui.lock.className = state.dial.locked ? 'lock on' : 'lock';
  moment.showCount(state.totalStars);
  moment.showStation(state.station.artistId, constellation.stars.has(state.station.artistId));
  const badges: string[] = [];
  state.badges.forEach((b) => badges.push(b));
  if (ui.badges.dataset.value !== badges.join('|')) {
    ui.badges.dataset.value = badges.join('|');
    clear(ui.badges);
    append(ui.badges, ...badges.map((b) => el('span', { class: 'badge' }, b)));
  }
}

function renderStarList(): void {
  clear(ui.starList);
  append(ui.starList, ...[...constellation.stars.values()].map((s) => el('li', {}, s.name)));
}

// ── page → server ───────────────────────────────────────────────────────────────────────────────

function swipe(s: SwipeMessage): void {
  session.swipe(s);
  log(`swipe ${s.direction} at ${s.velocity} px/s`);
}

function capture(): void {
  if (moment.pending) return;
  // The station last shown: while the server is away the room (and its state) is gone, the screen is not.
  const artistId = document.body.dataset.artist;
  if (!artistId) return;
  // The artist on screen when pressed: a capture that waits for a reconnection must not take another station's.
  moment.capturing(artistId, pill.state !== 'connected');
  session.capture(crypto.randomUUID(), artistId);
}

function onPointerDown(e: PointerEvent): void {
  (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  flick.start(e.clientX, e.clientY, e.timeStamp);
}

function onPointerMove(e: PointerEvent): void {
  if (flick.active) {
    // Coalesced events keep fast flicks accurate on high-rate pointers.
    for (const ev of e.getCoalescedEvents?.() ?? [e]) flick.move(ev.clientX, ev.clientY, ev.timeStamp);
  } else if (e.currentTarget === ui.stage) {
    const r = ui.stage.getBoundingClientRect();
    hoverOrbId = scene.hitTest(e.clientX - r.left, e.clientY - r.top);
    ui.stage.style.cursor = hoverOrbId ? 'pointer' : 'grab';
  } else if (e.currentTarget === ui.dial) {
    // A dot's whole name under the pointer (a crowded strip prints some names short).
    const station = dial.stationAt(e.clientX - ui.dial.getBoundingClientRect().left);
    const title = station ? `${station.label} · ${station.frequency.toFixed(1)} MHz (click to tune)` : '';
    if (ui.dial.title !== title) ui.dial.title = title;
  }
}

function onPointerUp(e: PointerEvent): void {
  const outcome = flick.end(e.clientX, e.clientY, e.timeStamp);
  if (outcome.kind === 'swipe') swipe(outcome.swipe);
  if (outcome.kind === 'tap' && e.currentTarget === ui.stage) {
    const r = ui.stage.getBoundingClientRect();
    const orbId = scene.hitTest(outcome.x - r.left, outcome.y - r.top);
    if (orbId) session.tapOrb(orbId);
  }
  // A tap on a dot of the dial tunes to it: a name printed short (or not at all) is then on screen whole.
  if (outcome.kind === 'tap' && e.currentTarget === ui.dial) {
    const station = dial.stationAt(outcome.x - ui.dial.getBoundingClientRect().left, touch ? 22 : 14);
    if (station) tuneTo(station.frequency, station.label);
  }
}

for (const surface of [ui.stage, ui.dial]) {
  surface.addEventListener('pointerdown', onPointerDown);
  surface.addEventListener('pointermove', onPointerMove);
  surface.addEventListener('pointerup', onPointerUp);
  surface.addEventListener('pointercancel', () => flick.cancel());
}

/**
 * Keys and the ◀ ▶ buttons step to the neighbouring station (a swipe's momentum would skip several):
 * from where the dial is heading, the next station down or up the band, tuned directly.
 */
function stepStation(direction: -1 | 1): void {
  const dialState = session.state?.dial;
  if (!dialState) return;
  const from = dialState.predicted;
  const bands = dial.stations.map((s) => s.frequency).sort((a, b) => a - b);
  const next = direction > 0 ? bands.find((f) => f > from + 0.05) : bands.reverse().find((f) => f < from - 0.05);
  if (next !== undefined) session.tune(next);
  else if (bands.length)
    moment.say(
      direction > 0
        ? `End of the band: ${Math.max(...bands).toFixed(1)} MHz is the last station · ◀ goes back down`
        : `Start of the band: ${Math.min(...bands).toFixed(1)} MHz is the first station · ▶ goes up`,
      'edge',
    );
}

document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.repeat) return;
  if (e.key === 'ArrowLeft') stepStation(-1);
  else if (e.key === 'ArrowRight') stepStation(1);
  else if (e.key === 'c' || e.key === 'C') capture();
});
$('#swipe-left').addEventListener('click', () => stepStation(-1));
$('#swipe-right').addEventListener('click', () => stepStation(1));
$('#capture').addEventListener('click', capture);

// ── render loop ─────────────────────────────────────────────────────────────────────────────────

function frame(now: number): void {
  const state = session.state;
  if (state?.dial) {
    // The glide is computed here from the state on the server clock, never streamed (clients/ts/src/glide.ts).
    const frequency = dialFrequencyAt(state.dial, clock.now(Date.now()));
    const label = `${frequency.toFixed(1)} MHz`;
    if (ui.frequency.textContent !== label) ui.frequency.textContent = label;
    dial.render({ frequency, predicted: state.dial.predicted, locked: state.dial.locked, dragPx: flick.active ? flick.dx : 0 });
    let camera = { position: { x: state.camera.x, y: state.camera.y, z: state.camera.z }, fov: state.camera.fov || 60 };
    if (transition) {
      const t = (now - transition.startedAt) / 1000;
      camera = sampleCameraPath(transition.msg.cameraPath, t);
      if (t > transition.msg.duration) transition = null;
    }
    scene.render({ state, serverNowMs: clock.now(Date.now()), camera, targetOrbId: transition?.msg.orbId ?? null, hoverOrbId });
    constellation.render(now);
  }
  requestAnimationFrame(frame);
}

async function main(): Promise<void> {
  fetch('/api/stations')
    .then((r) => r.json())
    .then((body: { stations: Array<{ frequency: number; artistId: string }> }) => {
      dial.stations = body.stations.map((s) => ({ frequency: s.frequency, label: labelFromArtistId(s.artistId) }));
    })
    .catch(() => log('could not load the station list', 'error'));
  requestAnimationFrame(frame);
  // Never a dead page: a server that is down or restarting is tried again, with backoff.
  const backoff = new Backoff();
  for (;;) {
    try {
      await session.connect({ deviceModel: 'web', appVersion: 'web-1', lastSessionId: localStorage.getItem(LAST_SESSION_KEY) ?? undefined }, auth);
      break;
    } catch (err) {
      pill.show('offline', (err as Error).message);
      if (backoff.attempts === 0) log(`could not join: ${(err as Error).message}; retrying`, 'error');
      await new Promise((r) => setTimeout(r, backoff.next()));
    }
  }
  // An invite link (`/play?ride=CODE`): ride along once connected.
  const code = new URLSearchParams(location.search).get('ride');
  if (code) {
    panels.open('ride');
    await ride.join(code);
  }
}

void main();
