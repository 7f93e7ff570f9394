/**
 * A route declared once: its operation (method, path, auth, query, body, answers, error codes; the
 * facts the OpenAPI document shows) and its handler, side by side in the feature's route file. The
 * router serves what {@link mountRoutes} makes of the declarations, and contract/ collects the same
 * declarations (src/http/operations.ts) into the document, so dropping a declaration drops both.
 */
import { routerPath, type HttpOperation } from '../../systems/httpContract.js';
import type { HttpContext, Route } from './router.js';
import { loadConfig } from '../config/config.js';

/** An operation and the handler that serves it; `D` is what the route file's factory hands its handlers. */
export interface RouteDeclaration<D> extends HttpOperation {
  handler: (ctx: HttpContext, deps: D) => Promise<Response>;
  /** When the route exists only with some dependency (e.g. a reader the wiring may leave out); served by default. */
  servedWhen?: (deps: D) => boolean;
  /** The handler reads the raw body bytes itself ({@link Route.rawBody}). */
  rawBody?: boolean;
}

/** Every declaration of one route file, typed by the dependencies its handlers take. */
export type RouteDeclarations<D> = ReadonlyArray<RouteDeclaration<D>>;

/** Helps inference: `declareRoutes<Deps>()([...])` checks each handler against `Deps`. */
export const declareRoutes =
  <D>() =>
  (routes: Array<RouteDeclaration<D>>): RouteDeclarations<D> =>
    routes;

/**
 * The routes the router serves for these declarations, their handlers bound to `deps`; `wrap` adds a
 * per-file concern (e.g. the Bearer challenge). An operation `servedBy` another route has no route of its own.
 */
export function mountRoutes<D>(declarations: RouteDeclarations<D>, deps: D, wrap: (route: Route) => Route = (r) => r): Route[] {
  return declarations
    .filter((d) => d.servedBy === undefined && (d.servedWhen?.(deps) ?? true))
    .map((d) => wrap({ method: d.method, path: routerPath(d.path), handler: (ctx) => d.handler(ctx, deps), ...(d.rawBody ? { rawBody: true } : {}) }));
}

/** The document's view of a declaration: everything but the handler. */
export function operationOf<D>(declaration: RouteDeclaration<D>): HttpOperation {
  const { handler: _handler, servedWhen: _servedWhen, rawBody: _rawBody, ...operation } = declaration;
  return operation;
}

/** The bounds a server with default settings applies: what the document states (each is a setting; docs/CONFIG.md). */
export const DOCUMENTED_DEFAULTS = loadConfig({});
