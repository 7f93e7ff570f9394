/**
 * The Colyseus monitor at /monitor, dressed as the ops console, behind the admin token or the console's signed cookie;
 * opened without either, it is the console's sign-in page.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hasAdminBearer, cookieOf, MONITOR_COOKIE, monitorCookieValid, monitorCookieValue, monitorSetCookie } from '../../features/auth/adminToken.js';
import { AppError } from '../../systems/errors.js';
import { NotFoundError } from './errors.js';
import type { AdminGate } from './authGates.js';
import { webRequest, type HttpRequest } from './edge.js';
import { shellResponse, WEB_DIST } from './webRoutes.js';
import { mount, page, reply, routeOf, type Reply, type Route } from './route.js';

/** What the monitor routes need from the ops routes: the token, the ops API's gate and the clock. */
export interface MonitorRouteOptions {
  adminToken: string | undefined;
  admin: AdminGate;
  now: () => number;
  distDir?: string;
}

type Handler = (request: HttpRequest) => Promise<Reply>;
const NO_STORE = { 'cache-control': 'no-store' };
const route = routeOf<MonitorRouteOptions>('ops');
const THIRD_PARTY = "@colyseus/monitor's page and API, behind the admin token or the cookie of POST /api/ops/monitor-session; not ours to describe";

/** The monitor page may load and connect only to this origin (its data comes from /monitor/api). */
export const MONITOR_CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

export const MONITOR_SESSION_ROUTES = [
  route('POST /api/ops/monitor-session', {
    operationId: 'opsMonitorSession',
    summary: 'A signed cookie that opens the Colyseus monitor (/monitor) in this browser.',
    auth: 'admin',
    responses: { 204: { description: 'Set-Cookie carries the monitor session.' } },
    handler: async ({ request }, { adminToken, now }) => reply(204, null, { 'set-cookie': monitorSetCookie(request, monitorCookieValue(adminToken!, now())) }),
  }),
];

/** The Colyseus monitor behind the admin token or the signed cookie the ops panel obtains for it. */
export function opsMonitorRoutes({ adminToken, admin, now, distDir = WEB_DIST }: MonitorRouteOptions): Route[] {
  const monitorGate =
    (handler: Handler) =>
    async (request: HttpRequest): Promise<Reply> => {
      if (!adminToken) throw new AppError('OPS_DISABLED', 'the ops API is off: start the server with ADMIN_TOKEN (at least 16 characters)');
      const cookie = cookieOf(request, MONITOR_COOKIE);
      if (!hasAdminBearer(request, adminToken) && !monitorCookieValid(cookie, adminToken, now())) return monitorSignInRequired(request.path, distDir);
      return handler(request);
    };
  const monitor = monitorHandler(distDir);
  return [
    ...mount(MONITOR_SESSION_ROUTES, { adminToken, admin, now }),
    page('/monitor', THIRD_PARTY, monitorGate(monitor.index)),
    page('/monitor/**', THIRD_PARTY, monitorGate(monitor.rest)),
  ];
}

/** A person gets the console's sign-in page (it reopens the monitor once signed in); the monitor's API keeps a coded 401. */
async function monitorSignInRequired(pathname: string, distDir: string): Promise<Reply> {
  if (pathname.startsWith('/monitor/api')) throw new AppError('UNAUTHORIZED', 'sign in on /ops (admin token), then open the monitor from there');
  const shell = await shellResponse(distDir, 'ops', { title: 'DeepStream · Monitor', meta: { robots: 'noindex' } }, 401).catch(() => null);
  if (shell) return reply(401, shell.body, { ...shell.headers, ...NO_STORE });
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>DeepStream · Monitor</title><link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>body{margin:0;min-height:100vh;display:grid;place-items:center;background:#0b0a14;color:#e0def4;font:14px system-ui,sans-serif}
main{max-width:28rem;padding:24px;text-align:center}a{color:#ff6b35}</style></head>
<body><main><h1>Colyseus monitor</h1><p>The monitor opens from the ops console once you are signed in.</p>
<p><a href="/ops">Sign in on /ops</a>, then choose “Monitor”.</p></main></body></html>`;
  return reply(401, html, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
    ...NO_STORE,
  });
}

interface MonitorPanel {
  handler: (request: Request) => Promise<Response>;
  indexHtml: string;
}

/** The console's header above the monitor: the same title, and the way back to each part of the console. */
const CONSOLE_HEADER = `<header class="topbar monitor-topbar"><h1><a href="/ops">DeepStream Ops</a></h1></header>
<nav class="monitor-nav" aria-label="Ops console"><a href="/ops#tab=overview">Overview</a><a href="/ops#tab=rooms">Rooms</a><a href="/ops#tab=users">Users</a><a href="/ops#tab=analytics">Analytics</a><a href="/ops#tab=jobs">Jobs &amp; log</a><a href="/monitor" aria-current="page">Monitor</a></nav>`;

/** The SPA's page with the console's favicon, title, stylesheet and header; without a web bundle it keeps its own look. */
export async function dressMonitorPage(spaHtml: string, distDir: string): Promise<string> {
  const opsShell = await readFile(path.join(distDir, 'ops.html'), 'utf8').catch(() => '');
  const css = /<link rel="stylesheet" href="(\/assets\/ops-[A-Za-z0-9]+\.css)">/.exec(opsShell)?.[1];
  const head = `<title>DeepStream · Monitor</title>\n<meta name="robots" content="noindex">\n<link rel="icon" href="/favicon.svg" type="image/svg+xml">${css ? `\n<link rel="stylesheet" href="${css}">` : ''}`;
  return spaHtml.replace(/<title>[^<]*<\/title>/, head).replace('<body>', `<body class="ds-monitor">\n${CONSOLE_HEADER}`);
}

/**
 * The monitor's endpoints run in a router of their own behind our gate, so it works on uWS and ws alike. Served at
 * `/monitor` (the router cannot match `/monitor/`), its relative asset URLs made absolute.
 */
function monitorHandler(distDir: string): { index: Handler; rest: Handler } {
  let panel: Promise<MonitorPanel> | null = null;
  const load = async (): Promise<MonitorPanel> => {
    const [{ monitor }, { createRouter }] = await Promise.all([import('@colyseus/monitor'), import('@colyseus/core')]);
    const endpoints = monitor({
      prefix: '/monitor',
      columns: ['roomId', 'name', 'clients', 'maxClients', 'locked', 'elapsedTime', 'processId', 'publicAddress'],
    });
    const router = createRouter({ ...endpoints } as never) as unknown as { handler: MonitorPanel['handler'] };
    // The package's build/ directory holds both its entry and the SPA (build/static).
    const spa = path.join(path.dirname(createRequire(import.meta.url).resolve('@colyseus/monitor')), 'static', 'index.html');
    // No request leaves the operator's network: the SPA's Google Fonts stylesheet is dropped, and the CSP keeps the rest on this origin.
    const indexHtml = (await readFile(spa, 'utf8')).replaceAll('"./assets/', '"/monitor/assets/').replace(/<link[^>]+https?:\/\/[^>]*>/g, '');
    return { handler: (request) => router.handler(request), indexHtml };
  };
  const loaded = (): Promise<MonitorPanel> =>
    (panel ??= load().catch((err) => {
      panel = null;
      throw new Error(`@colyseus/monitor could not load: ${(err as Error).message}`);
    }));
  return {
    // Dressed per request: a rebuilt web bundle (new hashed CSS) shows without a restart.
    index: async () =>
      reply(200, await dressMonitorPage((await loaded()).indexHtml, distDir), {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': MONITOR_CSP,
        ...NO_STORE,
      }),
    rest: async (request) => {
      const response = await (await loaded()).handler(webRequest(request));
      const body = new Uint8Array(await response.arrayBuffer());
      // The monitor answers 500 for a room id it does not know; that is the caller's 404, not our fault.
      if (response.status >= 500 && /is not available anymore|not found/i.test(new TextDecoder().decode(body)))
        throw new NotFoundError('no room with this id in any process (it may have been disposed); GET /monitor/api lists the rooms');
      const headers: Record<string, string> = {};
      response.headers.forEach((value, key) => (headers[key] = value));
      return reply(response.status, body, { ...headers, ...NO_STORE });
    },
  };
}
