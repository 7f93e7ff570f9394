/**
 * /coliseum — the public jumbotron: KPI tiles and live leaderboards from the `coliseum` room
 * (throttled server-side), with trend arrows, rank-change animations and a window switcher.
 */
// The Roman look: Cinzel for the titles, self-hosted (no third-party font request), Latin subset.
import '@fontsource/cinzel/latin-700.css';
import '../../public/coliseum.css';
import { Client, type Room } from '@colyseus/sdk';
import { $, el } from '../shared/dom.js';
import { serverEndpoint } from '../shared/endpoint.js';
import { LeaderboardPanel, KpiTiles } from './leaderboardPanel.js';
import { isWindow, normalizeColiseum, screenTiles, WINDOWS, type LeaderboardView, type WindowName } from './model.js';
import { FreezeBanner } from './freeze.js';
import { BoardPager } from './pager.js';
import { HeroMoments } from './hero.js';
import { CustomBoards } from './customLeaderboards.js';
import { ConnectionPill } from '../shared/connectionPill.js';
import { Backoff } from '../../../clients/ts/src/backoff.js';
import { DEFAULT_LEADERBOARDS, TILE_CURRENCY, revenueLeaderboard } from '../../../systems/leaderboard/leaderboards.js';
import { SDK_RECONNECTION } from '../../../clients/ts/src/SessionLink.js';

const ui = { leaderboards: $('#leaderboards'), kpis: $('#kpis'), status: $('#status'), windows: $('#windows'), clock: $('#clock'), page: $('#page') };
const client = new Client(serverEndpoint(location));
const kpis = new KpiTiles(ui.kpis);
const pager = new BoardPager(ui.leaderboards, ui.page);
const hero = new HeroMoments(document.body, (board) => pager.reveal(board));
const onLeader: ConstructorParameters<typeof LeaderboardPanel>[2] = (board, leader, previous, score) =>
  hero.announce({ board: board.id, title: board.title, leader, previous, score });
let panels = new Map<string, LeaderboardPanel>();
let room: Room | null = null;
let current: WindowName = isWindow(new URLSearchParams(location.search).get('window'))
  ? (new URLSearchParams(location.search).get('window') as WindowName)
  : 'day';
let generation = 0;
let updates = 0;
let lastState: unknown = null;
// Custom boards join the room's at its next state, or at once when a state is on screen.
const custom = new CustomBoards(() => lastState !== null && render(lastState));

const pill = new ConnectionPill(ui.status, { connectedClass: 'live' });
const paused = new FreezeBanner(document.body, () => room);
/** The pill for a laptop, the banner for the room: both follow the connection. */
const connection = (state: Parameters<ConnectionPill['show']>[0], detail?: string): void => {
  pill.show(state, detail);
  paused.connection(state === 'connected');
};

/**
 * The boards the jumbotron asks its room for, in the order it rotates them: the default boards, then a board
 * behind each tile that counts something (plays, attendance, revenue, votes), so a figure on a tile has its
 * ranking on screen. Ten is the most one spectator may ask for; empty boards sit out a TV's rotation.
 */
const SCREEN_BOARDS: readonly string[] = [
  ...DEFAULT_LEADERBOARDS,
  'artists.plays',
  'tracks.plays',
  revenueLeaderboard(TILE_CURRENCY),
  'events.attendance',
  'events.votes',
];
const screenOrder = (id: string): number => {
  const i = SCREEN_BOARDS.indexOf(id);
  return i < 0 ? SCREEN_BOARDS.length : i;
};

/** A board for the window on screen as CSV (top 100) or as a picture (top 25): the server's `format=`. */
const exportHref = (id: string, format: 'csv' | 'png'): string =>
  `/api/leaderboards/${encodeURIComponent(id)}?window=${current}&limit=${format === 'csv' ? 100 : 25}&format=${format}`;

/**
 * Titles of the open Concierto events (public GET /api/concierto/events): the event boards' rows carry the
 * event id, and "evt-lagos" on a TV means nothing to the room. A closed event keeps its id.
 */
const eventTitles = new Map<string, string>();
async function loadEventTitles(): Promise<void> {
  const res = await fetch('/api/concierto/events').catch(() => null);
  if (!res?.ok) return;
  const { events } = (await res.json()) as { events: Array<{ id: string; title: string }> };
  const before = eventTitles.size;
  for (const e of events) eventTitles.set(e.id, e.title);
  if (eventTitles.size !== before && lastState !== null) render(lastState);
}

const withEventTitles = (board: LeaderboardView): LeaderboardView =>
  board.id.startsWith('events.')
    ? { ...board, entries: board.entries.map((e) => (e.name === e.entityId && eventTitles.has(e.entityId) ? { ...e, name: eventTitles.get(e.entityId)! } : e)) }
    : board;

/** The room's boards, then the operators' custom boards (HTTP, customLeaderboards.ts), in one rotation. */
function render(state: unknown): void {
  lastState = state;
  const view = normalizeColiseum(state);
  paused.updated();
  kpis.update(screenTiles(view.kpis));
  const next = new Map<string, LeaderboardPanel>();
  let changed = 0;
  const streamed = [...view.leaderboards].sort((a, b) => screenOrder(a.id) - screenOrder(b.id)).map(withEventTitles);
  for (const leaderboard of [...streamed, ...custom.current]) {
    const panel = panels.get(leaderboard.id) ?? new LeaderboardPanel(leaderboard.id, exportHref, onLeader);
    changed += panel.update(leaderboard);
    ui.leaderboards.appendChild(panel.root);
    next.set(leaderboard.id, panel);
  }
  for (const [id, panel] of panels) if (!next.has(id)) panel.root.remove();
  panels = next;
  ui.leaderboards.classList.toggle('waiting', ![...next.values()].some((p) => !p.root.hidden));
  pager.layout();
  if (changed) document.body.dataset.updates = String((updates += changed));
}

/**
 * Joins the room for `window`, leaving the previous one; retries while the room is unavailable. A spectator
 * holds no state of its own: after a drain (4001) or a lost process it simply joins a coliseum room
 * again (another process's), with backoff; the boards on screen stay until the new room's state arrives.
 */
async function connect(window: WindowName, after: 'switch' | 'lost' = 'switch'): Promise<void> {
  const mine = ++generation;
  const previous = room;
  room = null;
  await previous?.leave(true).catch(() => undefined);
  if (after === 'switch') {
    for (const panel of panels.values()) panel.root.remove();
    panels = new Map();
    lastState = null;
  }
  connection(after === 'switch' ? 'connecting' : 'reconnecting');
  const backoff = new Backoff();
  while (mine === generation) {
    try {
      const joined = await client.joinOrCreate('coliseum', { window, leaderboards: [...SCREEN_BOARDS] });
      if (mine !== generation) {
        await joined.leave(true);
        return;
      }
      room = joined;
      // A few quick tries at the same room, then a new join: a killed process is left in about a second.
      Object.assign(joined.reconnection, SDK_RECONNECTION);
      connection('connected');
      joined.onStateChange((state) => render((state as { toJSON?: () => unknown }).toJSON?.() ?? state));
      joined.onDrop((code) => connection('reconnecting', `connection dropped (${code})`));
      joined.onReconnect(() => connection('connected'));
      joined.onLeave((code) => {
        if (mine !== generation) return;
        if (room === joined) room = null; // gone: nothing to leave on the next connect
        connection('reconnecting', `room closed (${code})`);
        setTimeout(() => void connect(current, 'lost'), new Backoff().next());
      });
      if (joined.state) render((joined.state as { toJSON?: () => unknown }).toJSON?.() ?? joined.state);
      return;
    } catch (err) {
      const wait = backoff.next();
      connection(
        backoff.attempts > 3 || navigator.onLine === false ? 'offline' : 'reconnecting',
        `unavailable — retrying in ${(wait / 1000).toFixed(1)} s (${(err as Error).message})`,
      );
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** The tiles' sparklines for the window on screen, from the rollups; refreshed every minute. */
async function loadSeries(): Promise<void> {
  const window = current;
  const res = await fetch(`/api/coliseum/kpi-series?window=${window}`).catch(() => null);
  if (!res?.ok || window !== current) return;
  kpis.setSeries(((await res.json()) as { series: Record<string, number[]> }).series);
}

function renderWindowSwitcher(): void {
  for (const w of WINDOWS) {
    const button = el('button', { type: 'button', 'data-window': w, 'aria-pressed': String(w === current) }, w === '30d' ? '30 days' : w);
    button.addEventListener('click', () => {
      if (w === current) return;
      current = w;
      for (const b of ui.windows.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.window === w));
      const url = new URL(location.href);
      url.searchParams.set('window', w);
      history.replaceState(null, '', url);
      void connect(w);
      void loadSeries();
      custom.show(w);
    });
    ui.windows.appendChild(button);
  }
}

function tickClock(): void {
  ui.clock.textContent = new Date().toLocaleTimeString('en-GB', { hour12: false });
}

// A TV remote's arrows (or a keyboard) turn the boards' pages without waiting for the rotation.
addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') pager.next(e.key === 'ArrowLeft' ? -1 : 1);
});

renderWindowSwitcher();
tickClock();
setInterval(tickClock, 1000);
void connect(current);
void loadSeries();
void loadEventTitles();
custom.show(current);
setInterval(() => void loadSeries(), 60_000);
setInterval(() => void loadEventTitles(), 60_000);
