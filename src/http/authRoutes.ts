import { z } from 'zod';
import { deviceSecretProblem, REFRESH_TOKEN_RE } from '../../systems/auth/identity.js';
import { sha256, type DeviceAuth } from '../../features/auth/DeviceAuth.js';
import type { AuthLimits } from '../../features/limits/authLimits.js';
import { bearerToken } from '../../features/auth/adminToken.js';
import { issuesOf } from '../../systems/passport/index.js';
import { ValidationError } from './errors.js';
import { mount, reply, routeOf, type Route } from './route.js';

const signedInFields = { userId: z.string(), deviceId: z.string(), accessToken: z.string(), expiresInSec: z.number().int(), refreshToken: z.string() };
export const signedInSchema = z.object({ ...signedInFields, isNewUser: z.boolean() }).meta({ title: 'SignedIn' });
export const refreshedSchema = z.object(signedInFields).meta({ title: 'Refreshed' });

/** A device secret: what a device signs in with, and a held vote is held against. */
export const deviceSecret = z.string().superRefine((value, ctx) => {
  const problem = deviceSecretProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const deviceBody = z.strictObject({ deviceSecret, deviceModel: z.string().min(1).max(64).optional() }).meta({ title: 'DeviceSignInRequest' });

/** Identity fields a client might still send: the answer says how linking works instead. */
const LINK_HINT: Record<string, string> = {
  userId: "identity is never taken from the body: to link this device to an existing user, send that user's access token as Authorization: Bearer",
  deviceId: 'the server assigns device ids; send only deviceSecret (and deviceModel)',
};

/** The sign-in body, its identity-field mistakes answered with how linking works. */
function signInOf(body: unknown): z.output<typeof deviceBody> {
  const parsed = deviceBody.safeParse(body);
  if (parsed.success) return parsed.data;
  const details = issuesOf(parsed.error).map((d) => (LINK_HINT[d.field] ? { field: d.field, message: LINK_HINT[d.field] } : d));
  throw new ValidationError(`invalid body: ${details.map((d) => d.field).join(', ')}; see details`, details);
}

export const refreshBody = z
  .strictObject({ refreshToken: z.string().regex(REFRESH_TOKEN_RE, 'must be the refreshToken a previous sign-in or refresh returned') })
  .meta({ title: 'RefreshRequest' });

const route = routeOf<{ devices: DeviceAuth; limits: AuthLimits }>('auth', 'none');

export const AUTH_ROUTES = [
  route('POST /api/auth/device', {
    operationId: 'authDevice',
    summary: 'Sign a device in (new user, same user, or linked with a Bearer token of the user).',
    body: deviceBody,
    bodyUnchecked: true,
    responses: { 200: { description: 'Known device.', schema: signedInSchema }, 201: { description: 'New device.', schema: signedInSchema } },
    errors: ['UNAUTHORIZED', 'CONFLICT', 'DEVICE_LIMIT', 'RATE_LIMITED'],
    handler: async ({ request, body: raw }, { devices, limits }) => {
      const body = signInOf(raw);
      await limits.signins.consume(sha256(body.deviceSecret));
      const beforeSignUp = () => limits.signups.consume(request.clientAddress);
      const beforeLink = (userId: string) => limits.links.consume(userId);
      const { created, ...signedIn } = await devices.signIn({ ...body, bearer: bearerToken(request), beforeSignUp, beforeLink });
      return reply(created ? 201 : 200, signedIn);
    },
  }),
  route('POST /api/auth/refresh', {
    operationId: 'authRefresh',
    summary: 'Rotate a refresh token (single use).',
    body: refreshBody,
    responses: { 200: { description: 'New tokens.', schema: refreshedSchema } },
    errors: ['UNAUTHORIZED', 'RATE_LIMITED'],
    handler: async ({ request, body }, { devices, limits }) => {
      await limits.refreshes.consume(request.clientAddress);
      return devices.refresh(body.refreshToken);
    },
  }),
];

export const authRoutes = (auth: DeviceAuth, limits: AuthLimits): Route[] => mount(AUTH_ROUTES, { devices: auth, limits });
