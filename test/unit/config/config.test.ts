import assert from 'node:assert/strict';
import { loadConfig, describeConfig } from '../../../src/config/config.js';
import { ConfigError } from '../../../src/errors.js';

function rejects(env: Record<string, string>, variable: string, hint: RegExp): void {
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof ConfigError && err.variable === variable && hint.test(err.message) && err.message.includes(variable),
  );
}

describe('config', () => {
  it('has production defaults when the environment is empty', () => {
    const config = loadConfig({});
    assert.equal(config.port, 2567);
    assert.equal(config.transport, 'uws');
    assert.equal(config.simHz, 20);
    assert.equal(config.patchHz, 20);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.coliseum.throttleMs, 200);
    assert.equal(config.coliseum.coalesceMs, 50);
    assert.equal(config.coliseum.refreshMs, 1000);
    assert.equal(config.leaderboard.flushIntervalMs, 25);
    assert.equal(config.leaderboard.unwatchedFlushMs, 25, 'one process: boards nobody watches are not held back');
    assert.equal(config.reconnectWindowSec, 30);
    assert.equal(config.patchOnInput, true);
    assert.equal(config.tickPhases, 4);
  });

  it('reads typed values from the environment', () => {
    const config = loadConfig({
      PORT: '3000',
      TRANSPORT: 'ws',
      SIM_HZ: '30',
      DATABASE_URL: 'postgres://u@h:5432/db',
      REDIS_URL: 'redis://127.0.0.1:6379',
      AUTH_SECRET: 's'.repeat(32),
    });
    assert.equal(config.port, 3000);
    assert.equal(config.transport, 'ws');
    assert.equal(config.simHz, 30);
    assert.equal(config.patchHz, 30, 'PATCH_HZ follows SIM_HZ unless set');
    assert.equal(config.databaseUrl, 'postgres://u@h:5432/db');
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(config.leaderboard.flushIntervalMs, 250, 'with Redis the feeder flushes less often: fewer commands per event');
    assert.equal(config.leaderboard.unwatchedFlushMs, 1000, 'with Redis, boards nobody watches are written once a second');
  });

  it('keeps the unwatched leaderboard flush at least as long as the watched one', () => {
    assert.equal(
      loadConfig({ LEADERBOARD_FLUSH_MS: '2000', REDIS_URL: 'redis://127.0.0.1:6379', AUTH_SECRET: 's'.repeat(32) }).leaderboard.unwatchedFlushMs,
      2000,
      'the default follows a longer LEADERBOARD_FLUSH_MS',
    );
    assert.equal(loadConfig({ LEADERBOARD_UNWATCHED_FLUSH_MS: '5000' }).leaderboard.unwatchedFlushMs, 5000);
    rejects({ LEADERBOARD_FLUSH_MS: '300', LEADERBOARD_UNWATCHED_FLUSH_MS: '100' }, 'LEADERBOARD_UNWATCHED_FLUSH_MS', /at least 300/);
  });

  it('bounds the session counter saves that may wait at 20 statements by default, never below one statement', () => {
    assert.equal(loadConfig({}).session.counterBatch.maxWaiting, 10_000);
    assert.equal(loadConfig({ SESSION_COUNTERS_BATCH_MAX: '50' }).session.counterBatch.maxWaiting, 1000, 'the default follows the statement size');
    assert.equal(loadConfig({ SESSION_COUNTERS_BATCH_WAITING_MAX: '700' }).session.counterBatch.maxWaiting, 700);
    rejects({ SESSION_COUNTERS_BATCH_MAX: '500', SESSION_COUNTERS_BATCH_WAITING_MAX: '100' }, 'SESSION_COUNTERS_BATCH_WAITING_MAX', /at least 500/);
  });

  it('names the variable and the fix for a non-integer PORT', () => rejects({ PORT: 'abc' }, 'PORT', /whole number/));
  it('rejects an out-of-range PORT', () => rejects({ PORT: '70000' }, 'PORT', /between 0 and 65535/));
  it('lists the allowed transports for TRANSPORT=foo', () => rejects({ TRANSPORT: 'foo' }, 'TRANSPORT', /uws, ws/));
  it('rejects a DATABASE_URL with the wrong protocol', () => rejects({ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL', /postgres:/));
  it('rejects a malformed REDIS_URL', () => rejects({ REDIS_URL: 'not a url' }, 'REDIS_URL', /not a URL/));
  it('rejects a short ADMIN_TOKEN', () => rejects({ ADMIN_TOKEN: 'abc' }, 'ADMIN_TOKEN', /at least 16/));
  it('reads PATCH_ON_INPUT as a boolean and names the fix for anything else', () => {
    assert.equal(loadConfig({ PATCH_ON_INPUT: 'false' }).patchOnInput, false);
    assert.equal(loadConfig({ PATCH_ON_INPUT: '1' }).patchOnInput, true);
    rejects({ PATCH_ON_INPUT: 'maybe' }, 'PATCH_ON_INPUT', /true or false/);
  });
  it('ROOMS_ENABLED: on by default; off needs REDIS_URL, and the refusal tells the operator what to do', () => {
    assert.equal(loadConfig({}).roomsEnabled, true);
    assert.equal(loadConfig({ ROOMS_ENABLED: 'false', REDIS_URL: 'redis://127.0.0.1:6379', AUTH_SECRET: 's'.repeat(32) }).roomsEnabled, false);
    rejects({ ROOMS_ENABLED: 'false' }, 'ROOMS_ENABLED', /REDIS_URL is not set.*set the same REDIS_URL, REDIS_PREFIX and AUTH_SECRET.*or unset ROOMS_ENABLED/);
    rejects({ ROOMS_ENABLED: 'maybe' }, 'ROOMS_ENABLED', /true or false/);
  });
  it('rejects a PATCH_HZ above SIM_HZ (patches go out on simulation steps)', () => rejects({ SIM_HZ: '10', PATCH_HZ: '20' }, 'PATCH_HZ', /at most 10/));
  it('rejects a PATCH_HZ that does not divide SIM_HZ, listing the ones that do', () =>
    rejects({ SIM_HZ: '20', PATCH_HZ: '8' }, 'PATCH_HZ', /1, 2, 4, 5, 10, 20/));
  it('rejects more than 1000 ticker firings a second', () => rejects({ SIM_HZ: '120', PATCH_HZ: '60', TICK_PHASES: '20' }, 'TICK_PHASES', /TICK_PHASES ≤ 8/));
  it('rejects SIM_HZ of zero', () => rejects({ SIM_HZ: '0' }, 'SIM_HZ', /between 1 and 120/));

  it('limits HTTP bodies to 1 MiB and JSON nesting to 32 by default, CORS to the same origin', () => {
    const { http } = loadConfig({});
    assert.deepEqual(http, {
      maxBodyBytes: 1024 * 1024,
      maxJsonDepth: 32,
      corsOrigins: [],
      trustForwardedFor: false,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
  });
  it('reads HTTP limits and names the range when they are out of it', () => {
    assert.equal(loadConfig({ HTTP_MAX_BODY_BYTES: '65536' }).http.maxBodyBytes, 65536);
    rejects({ HTTP_MAX_BODY_BYTES: '10' }, 'HTTP_MAX_BODY_BYTES', /between 1024 and/);
    rejects({ HTTP_MAX_JSON_DEPTH: '1000' }, 'HTTP_MAX_JSON_DEPTH', /between 8 and 512/);
  });
  it('reads CORS_ORIGINS as exact origins or a lone *', () => {
    assert.deepEqual(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).http.corsOrigins, [
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    assert.equal(loadConfig({ CORS_ORIGINS: '*' }).http.corsOrigins, '*');
    rejects({ CORS_ORIGINS: 'https://a.example, *' }, 'CORS_ORIGINS', /must stand alone/);
    rejects({ CORS_ORIGINS: 'https://app.example.com/' }, 'CORS_ORIGINS', /without a path or trailing slash/);
    rejects({ CORS_ORIGINS: 'app.example.com' }, 'CORS_ORIGINS', /scheme:\/\/host/);
  });

  it('masks secrets when described for the boot log', () => {
    const secrets = {
      DATABASE_URL: 'postgres://u:pg-password-1@h/db',
      ADMIN_TOKEN: 'x'.repeat(20),
      AUTH_SECRET: 'k'.repeat(40),
      ASSET_WEBHOOK_SECRET: 'w'.repeat(20),
    };
    const described = describeConfig(loadConfig({ ...secrets, ASSET_WEBHOOK_URL: 'https://hooks.example.com/assets' }));
    assert.ok(!JSON.stringify(described).includes('w'.repeat(20)), 'the asset webhook secret is masked');
    assert.ok(!JSON.stringify(described).includes('pg-password-1'));
    assert.ok(!JSON.stringify(described).includes('x'.repeat(20)));
    assert.ok(!JSON.stringify(described).includes('k'.repeat(40)));
  });

  it('push credentials are optional and all-or-nothing per channel; the boot log names the channels, never a key', () => {
    const off = loadConfig({}).notifications.push;
    assert.deepEqual([off.apns, off.webPush], [undefined, undefined]);
    const apns = { APNS_KEY_FILE: '/keys/apns.p8', APNS_KEY_ID: 'ABC123DEFG', APNS_TEAM_ID: 'TEAM123456', APNS_TOPIC: 'io.deepstream.app' };
    assert.equal(loadConfig(apns).notifications.push.apns?.origin, 'https://api.push.apple.com');
    rejects({ APNS_KEY_FILE: '/keys/apns.p8' }, 'APNS_KEY_ID', /APNS_KEY_ID, APNS_TEAM_ID, APNS_TOPIC/);
    rejects({ ...apns, APNS_TEAM_ID: 'team' }, 'APNS_TEAM_ID', /10-character/);
    rejects({ ...apns, APNS_ORIGIN: 'http://api.push.apple.com' }, 'APNS_ORIGIN', /https:/);
    const vapid = { WEBPUSH_VAPID_PUBLIC_KEY: 'B'.repeat(87), WEBPUSH_VAPID_PRIVATE_KEY: 'p'.repeat(43) };
    rejects(vapid, 'WEBPUSH_VAPID_SUBJECT', /mailto:/);
    rejects({ WEBPUSH_VAPID_PUBLIC_KEY: 'B'.repeat(87) }, 'WEBPUSH_VAPID_PRIVATE_KEY', /both VAPID keys/);
    rejects({ WEBPUSH_ENDPOINT_HOSTS: 'fcm.googleapis.com,https://x' }, 'WEBPUSH_ENDPOINT_HOSTS', /not a host name/);
    const described = JSON.stringify(describeConfig(loadConfig({ ...apns, ...vapid, WEBPUSH_VAPID_SUBJECT: 'mailto:ops@example.com' })));
    assert.ok(!described.includes('p'.repeat(43)), 'the VAPID private key is masked');
    assert.ok(!described.includes('/keys/apns.p8'));
    assert.match(JSON.stringify(describeConfig(loadConfig({}))), /unset \(APNs off\).*unset \(Web Push off\)/);
  });

  it('says in the boot log where the admin token and the token key come from (a file npm start generates), not that they are unset', () => {
    const described = describeConfig(loadConfig({ ADMIN_TOKEN_FILE: '.data/admin-token' })) as { adminToken: string; auth: { secret: string } };
    assert.equal(described.adminToken, 'from ADMIN_TOKEN_FILE .data/admin-token (generated there if absent)');
    assert.equal(described.auth.secret, 'from AUTH_SECRET_FILE .data/auth-secret (generated there if absent)');
    assert.equal((describeConfig(loadConfig({})) as { adminToken: string }).adminToken, 'unset (admin surfaces disabled)');
  });

  it('raises the harness-facing limits only with DEV_RAISED_LIMITS, which NODE_ENV=production refuses', () => {
    assert.equal(loadConfig({}).limits.signupsPerAddressPerHour, 30);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).limits.matchmakesPerAddressPerMinute, 120);
    const raised = loadConfig({ DEV_RAISED_LIMITS: 'true' });
    assert.ok(raised.devRaisedLimits && raised.limits.signupsPerAddressPerHour >= 10_000 && raised.limits.matchmakesPerAddressPerMinute >= 10_000);
    assert.equal(raised.limits.devicesPerUser, loadConfig({}).limits.devicesPerUser, 'bounds the harness does not meet stay');
    assert.equal(
      loadConfig({ DEV_RAISED_LIMITS: 'true', AUTH_SIGNUPS_PER_ADDRESS_PER_HOUR: '50' }).limits.signupsPerAddressPerHour,
      50,
      "a limit's own variable wins",
    );
    rejects({ DEV_RAISED_LIMITS: 'true', NODE_ENV: 'production' }, 'DEV_RAISED_LIMITS', /refused with NODE_ENV=production/);
  });

  it('has auth defaults: 15-minute access tokens, 30-day refresh tokens, a generated key in .data/auth-secret', () => {
    const { auth } = loadConfig({});
    assert.deepEqual(auth, {
      secret: undefined,
      secretFile: '.data/auth-secret',
      accessTtlSec: 900,
      refreshTtlDays: 30,
      deviceCacheEntries: 100_000,
      deviceCacheTtlMs: 60_000,
    });
    assert.equal(loadConfig({ AUTH_ACCESS_TTL_SEC: '60', AUTH_REFRESH_TTL_DAYS: '7' }).auth.accessTtlSec, 60);
  });
  it('rejects an AUTH_SECRET shorter than 32 characters', () => rejects({ AUTH_SECRET: 'a'.repeat(31) }, 'AUTH_SECRET', /at least 32/));
  it('requires AUTH_SECRET with REDIS_URL (every process must verify every token) and says how to set it', () => {
    rejects({ REDIS_URL: 'redis://127.0.0.1:6379' }, 'AUTH_SECRET', /required when REDIS_URL is set.*same AUTH_SECRET.*every process/);
    assert.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', AUTH_SECRET: 'a'.repeat(32) }).auth.secret, 'a'.repeat(32));
  });
  it('rejects an out-of-range AUTH_ACCESS_TTL_SEC', () => rejects({ AUTH_ACCESS_TTL_SEC: '5' }, 'AUTH_ACCESS_TTL_SEC', /between 30 and 86400/));
});
