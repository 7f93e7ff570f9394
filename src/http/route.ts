/**
 * A route declared once: its operation (what OpenAPI shows) and its handler. {@link mount} checks the caller, parses
 * path, query and body with their schemas (400 naming each field) and types the answer; contract/ collects the same
 * declarations, so dropping one drops both.
 */
import { z } from 'zod';
import { routerPath, type HttpAuth, type HttpMethod, type HttpOperation, type HttpResponse, type HttpTag } from '../../systems/httpContract.js';
import { issuesOf } from '../../systems/passport/validate.js';
import { loadConfig } from '../config/config.js';
import { UnauthorizedError } from '../../features/auth/DeviceAuth.js';
import { ForbiddenError, type AdminGate, type Caller, type RequestAuth } from './authGates.js';
import { ValidationError } from './errors.js';
import type { BodyLimit, HttpRequest, RawBody } from './edge.js';

/** An answer before it becomes bytes; the edge encodes it once (JSON, unless a content type says otherwise). */
export class Reply<S extends number = number, B = unknown> {
  constructor(
    readonly status: S,
    readonly body: B,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** An answer with a status (and headers) of its own; a handler may also return just the body of its first declared status. */
export const reply = <S extends number, B>(status: S, body: B, headers: Record<string, string> = {}): Reply<S, B> => new Reply(status, body, headers);

type Bytes<A> = A extends { contentType: string } | { alsoAs: readonly string[] } ? Uint8Array | string : never;
/** A schema's fields without the index signature of an object that lets unknown fields pass (what a typed answer must still name). */
type Named<T> = T extends readonly (infer E)[]
  ? Named<E>[]
  : T extends Uint8Array | Date
    ? T
    : T extends object
      ? [keyof { [K in keyof T as string extends K ? never : K]: 0 }] extends [never]
        ? { [K in keyof T]: Named<T[K]> }
        : { [K in keyof T as string extends K ? never : K]: Named<T[K]> }
      : T;
type BodyOf<A> = (A extends { schema: infer S extends z.ZodType } ? Named<z.input<S>> : A extends { contentType: string } ? never : null) | Bytes<A>;
/** What a handler may answer: a body one of its declared answers describes, or a {@link Reply} with a declared status and its body. */
export type Answer<R> = { [K in keyof R]: BodyOf<R[K]> }[keyof R] | { [K in keyof R & number]: Reply<K, BodyOf<R[K]>> }[keyof R & number];

type UserCaller = Extract<Caller, { kind: 'user' }>;
type CallerOf<A extends HttpAuth> = A extends 'user' ? UserCaller : A extends 'user-or-admin' ? Caller : A extends 'optional-user' ? Caller | null : null;
type Parsed<T, Else> = T extends z.ZodType ? z.output<T> : Else;
type BodyIn<B, U, T> = T extends readonly string[] ? Uint8Array : U extends true ? unknown : Parsed<B, undefined>;

/** What a handler gets: the request as the edge read it, and the declared inputs, parsed. */
export interface RouteContext<P, Q, B, C> {
  request: HttpRequest;
  params: P;
  query: Q;
  body: B;
  caller: C;
}

/** A declared answer: a JSON body (`schema`, titled with `.meta({ title })`) or bytes of `contentType`; neither: no body (204). */
export type Answered = Omit<HttpResponse, 'title'>;

/** One route: the operation the document shows, and the handler. `D` is what the route file's factory hands its handlers. */
export interface Declaration<
  D,
  A extends HttpAuth = HttpAuth,
  P = unknown,
  Q = unknown,
  B = unknown,
  R = Record<number, Answered>,
  U = unknown,
  T = unknown,
> extends Omit<HttpOperation, 'auth' | 'params' | 'query' | 'request' | 'responses'> {
  auth: A;
  /** Path parameters (`{name}` in `path`); without a schema each is the decoded segment. */
  params?: P;
  /** The query; a parameter it does not name is not read (an empty value counts as absent, the first of repeated ones wins). */
  query?: Q;
  /** The JSON body (its schema titled with `.meta({ title })`); `bodyOptional`: it may be left out (parsed as `{}`). */
  body?: B;
  bodyOptional?: boolean;
  /** The JSON body reaches the handler unparsed (it checks it itself, e.g. the passport's validator); `body` documents it. */
  bodyUnchecked?: U;
  /** Raw body bytes of these media types (uploads, signed webhooks) instead of JSON. */
  bodyTypes?: T;
  /** A raw body's own bound instead of HTTP_MAX_BODY_BYTES. */
  bodyLimit?: (deps: D) => BodyLimit;
  responses: R;
  /** Headers of every success answer unless the handler sets them (`no-store` by default, but for a public GET). */
  headers?: Record<string, string>;
  /** When the route exists only with some dependency (e.g. a reader the wiring may leave out); served by default. */
  servedWhen?: (deps: D) => boolean;
  handler: (
    ctx: RouteContext<Parsed<P, Record<string, string>>, Parsed<Q, Record<string, never>>, BodyIn<B, U, T>, CallerOf<A>>,
    deps: D,
  ) => Promise<Answer<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds declarations of every input type
export type AnyDeclaration<D = any> = Declaration<D, HttpAuth, any, any, any, any, any, any>;

/** Declares one route of a file: checks its handler against its own inputs, answers and `D`; the file's tag and `Auth` unless it names its own. */
type RouteOf<D, Auth extends HttpAuth | undefined> = <
  R extends Record<number, Answered>,
  P extends z.ZodObject | undefined = undefined,
  Q extends z.ZodObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  U extends boolean | undefined = undefined,
  T extends readonly string[] | undefined = undefined,
  A extends HttpAuth = Exclude<Auth, undefined>,
>(
  at: `${HttpMethod} /${string}`,
  declaration: Omit<Declaration<D, A, P, Q, B, R, U, T>, 'tag' | 'method' | 'path' | 'auth'> & { tag?: HttpTag } & (Auth extends HttpAuth
      ? { auth?: A }
      : { auth: A }),
) => Declaration<D, A, P, Q, B, R, U, T>;

/** `const route = routeOf<Deps>(tag)`, then `route('GET /api/x/{id}', {...})`; `routeOf<Deps>(tag, 'admin')`: every route that names no `auth` is admin's. */
export function routeOf<D>(tag: HttpTag): RouteOf<D, undefined>;
export function routeOf<D>(tag: HttpTag, auth: 'admin'): RouteOf<D, 'admin'>;
export function routeOf<D>(tag: HttpTag, auth: 'user'): RouteOf<D, 'user'>;
export function routeOf<D>(tag: HttpTag, auth: 'none'): RouteOf<D, 'none'>;
export function routeOf<D>(tag: HttpTag, auth?: HttpAuth): RouteOf<D, HttpAuth | undefined> {
  return (at, declaration) => {
    const [method, path] = at.split(' ') as [HttpMethod, string];
    return { tag, method, path, auth, ...declaration } as never;
  };
}

/** What the edge serves: a method and router pattern (`:name`, `/**`), and how to answer. */
export interface Route {
  method: HttpMethod;
  path: string;
  rawBody?: RawBody;
  serve(request: HttpRequest, params: Record<string, string>): Promise<Reply>;
}

/** A route the document leaves out on purpose (pages, redirects, third-party), with the reason; served as it is. */
export interface PageRoute extends Route {
  excluded: string;
}

/** A page route: GET `path`, answered by `serve` (contract/http.ts lists it as excluded, with `reason`). */
export const page = (path: string, excluded: string, serve: (request: HttpRequest, params: Record<string, string>) => Promise<Reply>): PageRoute => ({
  method: 'GET',
  path,
  excluded,
  serve,
});

/** Who checks callers for a route file's declarations: user tokens (`auth`), the admin token (`admin`). */
export interface Gates {
  auth?: RequestAuth;
  admin?: AdminGate;
}

const NO_STORE = { 'cache-control': 'no-store' };

/** The routes the edge serves for these declarations, their handlers bound to `deps`. An operation `servedBy` another has none of its own. */
export function mount<D>(declarations: ReadonlyArray<AnyDeclaration<D>>, deps: NoInfer<D>): Route[] {
  const served = declarations.filter((d) => d.servedBy === undefined && (d.servedWhen?.(deps) ?? true));
  for (const d of served) {
    const gate = d.auth === 'admin' ? 'admin' : d.auth === 'none' ? null : 'auth';
    if (gate && !(deps as Gates)[gate]) throw new Error(`${d.operationId} (auth ${d.auth}) is mounted without \`${gate}\` in its dependencies`);
  }
  return served.map((d) => ({
    method: d.method,
    path: routerPath(d.path),
    ...(d.bodyTypes ? { rawBody: { contentTypes: d.bodyTypes as readonly string[], limit: d.bodyLimit?.(deps) } } : {}),
    serve: (request, params) => serve(d, deps, request, params),
  }));
}

async function serve<D>(d: AnyDeclaration<D>, deps: D, request: HttpRequest, raw: Record<string, string>): Promise<Reply> {
  const caller = await callerOf(d.auth, deps as Gates, request);
  const params = d.params ? parse(d.params, raw, 'path') : raw;
  const query = d.query ? parse(d.query, queryOf(request.query), 'query') : {};
  const body = d.bodyTypes ? request.body : d.body || d.bodyUnchecked ? jsonBody(d, request) : undefined;
  const answer: unknown = await d.handler({ request, params, query, body, caller }, deps);
  const [status] = Object.keys(d.responses).map(Number);
  const out = answer instanceof Reply ? answer : new Reply(status!, answer);
  const type = (d.responses as Record<number, Answered>)[out.status]?.contentType;
  const publicGet = d.method === 'GET' && (d.auth === 'none' || d.auth === 'optional-user');
  const headers = { ...(publicGet ? {} : NO_STORE), ...d.headers, ...(type ? { 'content-type': type } : {}) };
  return new Reply(out.status, out.body, { ...headers, ...out.headers });
}

async function callerOf(auth: HttpAuth, { auth: tokens, admin }: Gates, request: HttpRequest): Promise<Caller | null> {
  if (auth === 'none') return null;
  if (auth === 'admin') return admin!(request).then(() => null);
  if (auth === 'optional-user' && !request.headers.has('authorization')) return null;
  const caller = await tokens!.requireUser(request).catch((err: unknown) => {
    if (auth === 'optional-user' && err instanceof UnauthorizedError) return null; // a stale token still reads the public answer
    throw err;
  });
  if (auth === 'user' && caller?.kind !== 'user')
    throw new ForbiddenError("this is a user's own: send that user's access token, not the admin token", [
      { field: 'authorization', message: 'is the admin token' },
    ]);
  return caller;
}

/** The query as one value per name: the first of repeated ones, an empty value left out. */
function queryOf(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of query) if (value !== '' && !(key in out)) out[key] = value;
  return out;
}

function jsonBody<D>(d: AnyDeclaration<D>, request: HttpRequest): unknown {
  const json = request.json;
  if (json === undefined && !d.bodyOptional)
    throw new ValidationError('a JSON body is required', [{ field: '(body)', message: 'is missing; send Content-Type: application/json' }]);
  const value = json ?? {};
  return d.bodyUnchecked ? value : parse(d.body as z.ZodType, value, 'body');
}

/** `value` as `schema` says, or a 400 naming every field that is wrong. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error).slice(0, 50);
  throw new ValidationError(`invalid ${what}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
}

/** The document's view of a declaration: its operation, without the handler. */
export function operationOf(d: AnyDeclaration): HttpOperation {
  const { handler: _h, servedWhen: _s, headers: _hd, bodyLimit: _l, body, bodyOptional, bodyTypes, bodyUnchecked: _u, responses, ...operation } = d;
  const titled = (schema: z.ZodType | undefined) => (schema?.meta()?.title as string | undefined) ?? undefined;
  const answers = Object.fromEntries(Object.entries(responses as Record<number, Answered>).map(([status, r]) => [status, { ...r, title: titled(r.schema) }]));
  const request = body || bodyTypes ? { title: titled(body), schema: body, contentTypes: bodyTypes, optional: bodyOptional } : undefined;
  return { ...operation, responses: answers, ...(request ? { request } : {}) };
}

const int = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

/** A query integer from `min` to `max` (`fallback` when left out), with the range in its message. */
export function intQuery(min: number, max: number): z.ZodOptional<ReturnType<typeof int>>;
export function intQuery(min: number, max: number, fallback: number): z.ZodDefault<ReturnType<typeof int>>;
export function intQuery(min: number, max: number, fallback?: number) {
  return fallback === undefined ? int(min, max).optional() : int(min, max).default(fallback);
}

/** The bounds a server with default settings applies: what the document states (each is a setting; docs/CONFIG.md). */
export const DOCUMENTED_DEFAULTS = loadConfig({});
