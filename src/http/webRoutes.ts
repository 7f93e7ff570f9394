import fs from 'node:fs/promises';
import path from 'node:path';
import { escapeMarkup } from '../../systems/text.js';
import { AppError } from '../../systems/errors.js';
import { page, reply, type PageRoute, type Reply } from './route.js';
import type { HttpRequest } from './edge.js';

/** The pages and what they are; each is `<name>.html` in the dist directory. */
export const WEB_PAGES = ['play', 'coliseum', 'ops'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/** A bare file name: no separators, no leading dot, so it can only name a file directly in assets/. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;
/** esbuild's names are far shorter; a longer one names nothing (and would pass the file system's NAME_MAX of 255). */
const MAX_ASSET_NAME = 128;
/** esbuild's `[name]-[hash]` output: content-addressed, so it may be cached forever. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9.]+$/;

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // Scripts only from this origin; websockets to any host (the SDK connects to this server's ws URL); images also from blob: URLs the page makes itself (the ops console's admin-only previews, fetched with the token).
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
};

/** Resolves an asset name inside `assetsDir`, or null when the name could escape it. */
export function assetPath(assetsDir: string, name: string): string | null {
  if (name.length > MAX_ASSET_NAME || !ASSET_NAME.test(name) || name.includes('..')) return null;
  const root = path.resolve(assetsDir);
  const resolved = path.resolve(root, name);
  return path.dirname(resolved) === root ? resolved : null;
}

/** Whether the request's Accept-Encoding lists `br` without `q=0`. */
export function acceptsBrotli(request: { headers: Headers }): boolean {
  return (request.headers.get('accept-encoding') ?? '').split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    return coding.trim().toLowerCase() === 'br' && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

/** The built pages (scripts/build-web.ts), beside src/ in the checkout and in build/ alike. */
export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

export interface ShellHead {
  title: string;
  /** `<meta>` name/property → content, escaped here. */
  meta: Record<string, string>;
}

/** A page shell, with its title and meta tags rendered on the server when given (link previews read no JavaScript). */
export async function shellResponse(distDir: string, name: string, head?: ShellHead, status = 200): Promise<Reply> {
  const body = await readOrNull(path.join(distDir, `${name}.html`));
  if (!body) throw missing();
  const headers = { 'content-type': CONTENT_TYPES['.html'], 'cache-control': 'no-cache', ...SECURITY_HEADERS };
  if (!head) return reply(status, new Uint8Array(body), headers);
  const meta = Object.entries(head.meta)
    .map(([key, content]) => `  <meta ${key.startsWith('og:') ? 'property' : 'name'}="${escapeMarkup(key)}" content="${escapeMarkup(content)}">`)
    .join('\n');
  // A replacer function: a string replacement would expand $` and $& in a listener's name or message.
  const html = body.toString('utf8').replace(/<title>[^<]*<\/title>/, () => `<title>${escapeMarkup(head.title)}</title>\n${meta}`);
  return reply(status, html, headers);
}

const missing = () => new AppError('WEB_BUNDLE_MISSING', 'The web bundle is missing: run `npm run build:web` (npm start does it for you).', undefined, 5);

async function readOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    // Any name the file system cannot open as a file is a name we do not serve.
    if (['ENOENT', 'EISDIR', 'ENAMETOOLONG', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
}

const PAGE = 'an HTML page of the web app (a shell without data; its data comes from the API)';

/** Static pages and /assets from `distDir`. HTML revalidates every load; hashed assets are immutable for a year. */
export function webRoutes(distDir: string): PageRoute[] {
  const built = async () => (await fs.stat(path.join(distDir, 'ops.html')).catch(() => null)) !== null;
  const html = (name: (typeof WEB_PAGES)[number] | 'reports', at: string, reason: string) => page(at, reason, () => shellResponse(distDir, name));

  const assets = page('/assets/:file', 'the web bundle (scripts, styles), built by scripts/build-web.ts', async (request: HttpRequest, params) => {
    const file = assetPath(path.join(distDir, 'assets'), params.file ?? '');
    const notFound = reply(404, 'not found\n', { 'content-type': 'text/plain; charset=utf-8' });
    if (!file) return notFound;
    if (!(await built())) throw missing();
    // The build's Brotli copy for browsers that take it (every current one): the /play bundle is ~4× smaller.
    const brotli = acceptsBrotli(request) ? await readOrNull(`${file}.br`) : null;
    const body = brotli ?? (await readOrNull(file));
    if (!body) return notFound;
    const cache = HASHED.test(path.basename(file)) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return reply(200, new Uint8Array(body), {
      'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': cache,
      vary: 'accept-encoding',
      ...(brotli && { 'content-encoding': 'br' }),
      'x-content-type-options': 'nosniff',
    });
  });

  return [
    html('play', '/play', PAGE),
    html('coliseum', '/coliseum', PAGE),
    html('ops', '/ops', `${PAGE}; the ops console reads the /api/ops operations`),
    // A Coliseum report: one shell for every report id; the page reads the id from its URL.
    html('reports', '/coliseum/reports/:id', `${PAGE}; it reads GET /api/reports/{id} or /api/reports/shared/{token}`),
    assets,
  ];
}
