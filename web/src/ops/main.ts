/**
 * /ops — the operator panel. The page itself holds no data: after sign-in (admin token kept in
 * sessionStorage, sent as a Bearer header) it polls the authenticated /api/ops/* endpoints:
 * overview + history every 2 s, rooms every 4 s, DIA system counts every 10 s.
 */
import '../../public/ops.css';
import type { OpsHistoryPoint as HistoryPoint, OpsOverview, OpsSystemCounts } from '../../../clients/ts/src/ops.js';
import { $, clear } from '../shared/dom.js';
import { api, token, Unauthorized } from './api.js';
import { HistoryChart } from './chart.js';
import { DiaTools, renderSystemCounts } from './mediaidDia.js';
import { ProcessorsPanel } from './processors.js';
import { AssetReviewsPanel } from './assetsReview.js';
import { CustomBoardsPanel } from './customBoards.js';
import { ReportsPanel } from './reports.js';
import { renderOverview } from './live.js';
import { RoomsPanel } from './rooms.js';
import { JobsPanel } from './jobs.js';
import { LogsPanel } from './logs.js';
import { KpiPanel } from './analyticsKpis.js';
import { LeaderboardsPanel } from './leaderboard.js';
import { RatesPanel } from './rates.js';
import { OpsNav } from './nav.js';

const ui = {
  login: $('#login'),
  loginForm: $<HTMLFormElement>('#login-form'),
  tokenInput: $<HTMLInputElement>('#token'),
  loginError: $('#login-error'),
  dashboard: $('#dashboard'),
  updated: $('#updated'),
  error: $('#error'),
  health: $('#health'),
  tiles: $('#tiles'),
  processes: $('#processes-body'),
  roomTypes: $('#room-types-body'),
  system: $('#system'),
  chart: $('#chart'),
};

const dataRoots = [
  ui.health,
  ui.tiles,
  ui.processes,
  ui.roomTypes,
  ui.system,
  $('#rooms-body'),
  $('#dia-results'),
  $('#dia-timeline'),
  $('#dia-sessions'),
  $('#dia-card'),
];
let chart: HistoryChart | null = null;
const rooms = new RoomsPanel($('#rooms'), (err) => handleError(err));
const dia = new DiaTools($('#dia'), (err) => handleError(err));
const jobs = new JobsPanel(ui.dashboard, (err) => handleError(err));
const kpiPanel = new KpiPanel(ui.dashboard, (err) => handleError(err));
const ratesPanel = new RatesPanel(ui.dashboard);
const leaderboardsPanel = new LeaderboardsPanel(ui.dashboard, (err) => handleError(err));
const customBoardsPanel = new CustomBoardsPanel(ui.dashboard, (err) => handleError(err));
const reportsPanel = new ReportsPanel(ui.dashboard, (err) => handleError(err));
const processorsPanel = new ProcessorsPanel(ui.dashboard, (err) => handleError(err));
const assetReviewsPanel = new AssetReviewsPanel(ui.dashboard, (err) => handleError(err));
const logsPanel = new LogsPanel(ui.dashboard, (err) => handleError(err));
const navBar = $('#ops-nav');
const nav = new OpsNav(ui.dashboard, $('#ops-tabs'));
/** The chart's window: 15 minutes from memory, or 24 hours from the persisted history (one point a minute). */
const chartMinutes = (): number => Number(($('#chart-range') as HTMLSelectElement).value) || 15;
$('#chart-range').addEventListener('change', () => void refreshLive());
/** Bumped on sign-out: pollers of an older generation stop by themselves. */
let generation = 0;

/** Runs `work` now and again `everyMs` after each run finishes (never overlapping), until sign-out. */
function every(everyMs: number, work: () => Promise<void>): void {
  const mine = generation;
  const run = async (): Promise<void> => {
    if (mine !== generation) return;
    await work();
    if (mine === generation) window.setTimeout(run, everyMs);
  };
  void run();
}

function handleError(err: unknown): void {
  if (err instanceof Unauthorized) return signOut('The admin token was rejected. Sign in again.');
  ui.error.textContent = (err as Error).message;
  ui.error.classList.remove('hidden');
}

async function refreshLive(): Promise<void> {
  const mine = generation;
  try {
    const [overview, history] = await Promise.all([
      api<OpsOverview>('/api/ops/overview'),
      api<{ points: HistoryPoint[] }>(`/api/ops/history?minutes=${chartMinutes()}`),
    ]);
    // An answer that arrives after a sign-out must not repaint the cleared page.
    if (mine !== generation) return;
    renderOverview(overview, ui);
    liveSessions = overview.totals.rooms.session?.clients ?? 0;
    if (systemCounts) renderSystemCounts(ui.system, systemCounts, liveSessions);
    ratesPanel.render(overview.totals.rates);
    chart ??= new HistoryChart(ui.chart);
    chart.update(history.points);
    ui.updated.textContent = `updated ${new Date(overview.at).toLocaleTimeString('en-GB', { hour12: false })}`;
    ui.error.classList.add('hidden');
  } catch (err) {
    handleError(err);
  }
}

/** The listeners connected now (the matchmaker's, as the overview counts clients) and the last DIA counts. */
let liveSessions: number | null = null;
let systemCounts: OpsSystemCounts | null = null;

async function refreshSystem(): Promise<void> {
  const mine = generation;
  try {
    const counts = await api<OpsSystemCounts>('/api/ops/system');
    if (mine !== generation) return;
    systemCounts = counts;
    renderSystemCounts(ui.system, counts, liveSessions);
  } catch (err) {
    handleError(err);
  }
}

function showDashboard(): void {
  ui.login.classList.add('hidden');
  ui.dashboard.classList.remove('hidden');
  navBar.classList.remove('hidden');
  nav.start();
  dia.openFromUrl();
  void dia.list.show('');
  every(2000, refreshLive);
  every(4000, () => rooms.refresh());
  every(10_000, refreshSystem);
  every(10_000, () => jobs.refresh());
  every(30_000, () => kpiPanel.refresh());
  every(10_000, () => leaderboardsPanel.refresh());
  every(5000, () => processorsPanel.refresh());
  every(10_000, () => assetReviewsPanel.refresh());
  every(10_000, () => customBoardsPanel.refresh());
  every(30_000, () => reportsPanel.refresh());
  every(5000, () => logsPanel.refresh());
  // The monitor's cookie from sign-in on (and renewed well within its lifetime): /monitor opened in a new tab
  // or window is signed in too, instead of asking for the token again.
  every(10 * 60_000, () =>
    api('/api/ops/monitor-session', { method: 'POST' }).then(
      () => undefined,
      () => undefined,
    ),
  );
}

function signOut(message = ''): void {
  token.clear();
  generation++;
  for (const root of dataRoots) clear(root);
  dia.reset();
  jobs.reset();
  kpiPanel.reset();
  leaderboardsPanel.reset();
  processorsPanel.reset();
  assetReviewsPanel.reset();
  customBoardsPanel.reset();
  reportsPanel.reset();
  ratesPanel.reset();
  logsPanel.reset();
  ui.dashboard.classList.add('hidden');
  navBar.classList.add('hidden');
  ui.login.classList.remove('hidden');
  ui.loginError.textContent = message;
  ui.tokenInput.value = '';
  ui.tokenInput.focus();
}

/**
 * /monitor opened without its cookie answers with this page: signing in here trades the token for the
 * monitor's cookie (an HttpOnly cookie scoped to /monitor: the monitor's SPA cannot send headers) and
 * reloads into the monitor.
 */
const onMonitorPage = location.pathname === '/monitor';

async function enterMonitor(): Promise<void> {
  await api('/api/ops/monitor-session', { method: 'POST' });
  location.assign('/monitor');
}

ui.loginForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const candidate = ui.tokenInput.value.trim();
  if (!candidate) return;
  try {
    await api('/api/ops/overview', {}, candidate);
    token.set(candidate);
    ui.tokenInput.value = '';
    ui.loginError.textContent = '';
    if (onMonitorPage) return await enterMonitor();
    showDashboard();
  } catch (err) {
    ui.loginError.textContent = err instanceof Unauthorized ? 'That token was not accepted.' : (err as Error).message;
  }
});

$('#sign-out').addEventListener('click', () => signOut());
// A user link elsewhere in the console (a room's client) opens that user's page.
addEventListener('hashchange', () => token.get() && dia.openFromUrl());
$('#open-monitor').addEventListener('click', (e) => {
  // A plain click renews the cookie and opens the monitor in this tab; a new tab already has the cookie (showDashboard).
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
  e.preventDefault();
  enterMonitor().catch(handleError);
});

if (onMonitorPage) {
  document.title = 'DeepStream · Monitor';
  $('#login h2').textContent = 'Sign in to open the monitor';
  // Signed in in this tab already (the monitor's cookie expired): renew it once, not in a loop.
  const last = Number(sessionStorage.getItem('ds-monitor-renewed') ?? 0);
  if (token.get() && Date.now() - last > 10_000) {
    sessionStorage.setItem('ds-monitor-renewed', String(Date.now()));
    enterMonitor().catch(() => signOut(''));
  } else signOut('');
} else if (token.get()) {
  api('/api/ops/overview')
    .then(showDashboard)
    .catch(() => signOut(''));
} else {
  signOut('');
}
