import { z } from 'zod';
import { deviceSecretProblem, REFRESH_TOKEN_RE } from '../../systems/auth/identity.js';
import { issuesOf } from '../../systems/passport/index.js';
import { sha256, type DeviceAuth } from '../../features/auth/DeviceAuth.js';
import type { AuthLimits } from '../../features/limits/authLimits.js';
import { bearerToken } from '../../features/auth/adminToken.js';
import { bodyOf } from './passportRoutes.js';
import { clientAddressOf, json, ValidationError, type Route } from './router.js';
import { withBearerChallenge } from './authGates.js';
import { declareRoutes, mountRoutes } from './declare.js';

const titled = <T extends z.ZodType>(schema: T, title: string): T => schema.meta({ title });

const signedInFields = {
  userId: z.string(),
  deviceId: z.string(),
  accessToken: z.string(),
  expiresInSec: z.number().int(),
  refreshToken: z.string(),
};

/** `POST /api/auth/device` 200/201. */
export const signedInSchema = titled(z.object({ ...signedInFields, isNewUser: z.boolean() }), 'SignedIn');
/** `POST /api/auth/refresh` 200. */
export const refreshedSchema = titled(z.object(signedInFields), 'Refreshed');

/** `POST /api/auth/device` body. */
export const deviceBody = z.strictObject({
  deviceSecret: z.string().superRefine((value, ctx) => {
    const problem = deviceSecretProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  deviceModel: z.string().min(1).max(64).optional(),
});

/** `POST /api/auth/refresh` body. */
export const refreshBody = z.strictObject({
  refreshToken: z.string().regex(REFRESH_TOKEN_RE, 'must be the refreshToken a previous sign-in or refresh returned'),
});

/** Identity fields a client might still send: the answer says how linking works instead. */
const LINK_HINT: Record<string, string> = {
  userId: "identity is never taken from the body: to link this device to an existing user, send that user's access token as Authorization: Bearer",
  deviceId: 'the server assigns device ids; send only deviceSecret (and deviceModel)',
};

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error).map((d) => (LINK_HINT[d.field] ? { field: d.field, message: LINK_HINT[d.field] } : d));
  throw new ValidationError(`invalid body: ${details.map((d) => d.field).join(', ')}; see details`, details);
}

/** What the auth handlers use. */
interface AuthRouteDeps {
  auth: DeviceAuth;
  limits: AuthLimits;
}

/**
 * `POST /api/auth/device` (sign in or up with a device secret; link with a Bearer token) and
 * `POST /api/auth/refresh` (rotate a refresh token). See docs/PROTOCOL.md, "Authentication". Sign-ups
 * count against the client address, sign-ins against the device secret, links against the user, refreshes
 * against the address (429 beyond); a user's live devices are bounded (409 DEVICE_LIMIT).
 */
export const AUTH_ROUTES = declareRoutes<AuthRouteDeps>()([
  {
    operationId: 'authDevice',
    method: 'POST',
    path: '/api/auth/device',
    tag: 'auth',
    summary: 'Sign a device in (new user, same user, or linked with a Bearer token of the user).',
    auth: 'none',
    request: { title: 'DeviceSignInRequest', schema: deviceBody },
    responses: {
      200: { description: 'Known device.', title: 'SignedIn', schema: signedInSchema },
      201: { description: 'New device.', title: 'SignedIn', schema: signedInSchema },
    },
    errors: ['UNAUTHORIZED', 'CONFLICT', 'DEVICE_LIMIT', 'RATE_LIMITED'],
    handler: async (ctx, { auth, limits }) => {
      const body = parse(deviceBody, bodyOf(ctx));
      await limits.signins.consume(sha256(body.deviceSecret));
      const address = clientAddressOf(ctx.request);
      const beforeSignUp = () => limits.signups.consume(address);
      const beforeLink = (userId: string) => limits.links.consume(userId);
      const { created, ...signedIn } = await auth.signIn({ ...body, bearer: bearerToken(ctx.request), beforeSignUp, beforeLink });
      return json(signedIn, created ? 201 : 200, { 'cache-control': 'no-store' });
    },
  },
  {
    operationId: 'authRefresh',
    method: 'POST',
    path: '/api/auth/refresh',
    tag: 'auth',
    summary: 'Rotate a refresh token (single use).',
    auth: 'none',
    request: { title: 'RefreshRequest', schema: refreshBody },
    responses: { 200: { description: 'New tokens.', title: 'Refreshed', schema: refreshedSchema } },
    errors: ['UNAUTHORIZED', 'RATE_LIMITED'],
    handler: async (ctx, { auth, limits }) => {
      const body = parse(refreshBody, bodyOf(ctx));
      await limits.refreshes.consume(clientAddressOf(ctx.request));
      return json(await auth.refresh(body.refreshToken), 200, { 'cache-control': 'no-store' });
    },
  },
]);

/** The auth routes, served. */
export function authRoutes(auth: DeviceAuth, limits: AuthLimits): Route[] {
  return mountRoutes(AUTH_ROUTES, { auth, limits }, withBearerChallenge);
}
