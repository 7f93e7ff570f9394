import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ENTRY_LIMITS } from '../../support/nginx.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
const template = fs.readFileSync(path.join(ROOT, 'deploy/nginx/deepstream.conf.template'), 'utf8');

/** The lines of one top-level service of docker-compose.yml (two-space indented key up to the next one). */
function service(name: string): string {
  const match = compose.match(new RegExp(`^ {2}${name}:.*\\n((?:(?: {4}|\\s*#).*\\n|\\s*\\n)*)`, 'm'));
  assert.ok(match, `docker-compose.yml has no service ${name}`);
  return match[1];
}

/** `KEY: value` pairs under a service's `environment:` (quotes removed). */
function environment(block: string): Record<string, string> {
  const env = block.match(/^ {4}environment:.*\n((?: {6}.*\n|\s*#.*\n)*)/m)?.[1] ?? '';
  return Object.fromEntries([...env.matchAll(/^ {6}([A-Z_]+): "?([^"\n]*)"?$/gm)].map((m) => [m[1], m[2]]));
}

/** Docker is not on CI: what `docker compose up` relies on is read from the files and checked here. */
describe('docker-compose.yml: the entry, TLS and the database password', () => {
  it('sets every ${VAR} the entry template reads, and the limits the nginx test harness uses', () => {
    const env = environment(service('entry'));
    const read = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]))];
    assert.deepEqual(
      read.filter((name) => !(name in env)),
      [],
      'read by deploy/nginx/deepstream.conf.template, unset in the entry service',
    );
    for (const [name, value] of Object.entries(ENTRY_LIMITS)) assert.equal(env[name], value, name);
    assert.equal(env.HTTPS_REDIRECT, 'on');
  });

  it('opens the entry once both servers are healthy and the certificate exists, and mounts it where nginx reads it', () => {
    const entry = service('entry');
    for (const dependency of ['server-a', 'server-b']) assert.match(entry, new RegExp(`${dependency}: \\{ condition: service_healthy \\}`));
    assert.match(entry, /tls: \{ condition: service_completed_successfully \}/);
    assert.match(entry, new RegExp(`- \\./deploy/tls:${environment(entry).TLS_DIR}:ro`));
    assert.match(service('tls'), /scripts\/tls-selfsigned\.sh/);
    assert.match(service('server-a'), /healthcheck:/, 'service_healthy needs a health check');
  });

  it('runs the scheduled jobs in a process of their own that hosts no rooms and takes no traffic from the entry', () => {
    assert.equal(environment(service('server-a')).JOBS_ENABLED, 'false', 'the room processes run no jobs');
    assert.match(service('server-b'), /<<: \*env/, "server-b takes server-a's environment");
    assert.equal(environment(service('server-b')).JOBS_ENABLED, undefined, 'and does not turn the jobs back on');
    const jobs = service('jobs');
    assert.match(jobs, /<<: \*server/, 'the same image, health check and dependencies as the room processes');
    assert.match(jobs, /<<: \*env/, 'the same database, Redis, REDIS_PREFIX, AUTH_SECRET and ADMIN_TOKEN as the room processes');
    assert.deepEqual([environment(jobs).JOBS_ENABLED, environment(jobs).ROOMS_ENABLED], ['true', 'false']);
    const upstreams = Object.entries(environment(service('entry'))).filter(([name]) => name.startsWith('SERVER_'));
    assert.ok(
      upstreams.length >= 2 && upstreams.every(([, target]) => !target.startsWith('jobs:')),
      `the entry routes to the room processes only: ${JSON.stringify(upstreams)}`,
    );
  });

  it('keeps the Postgres password out of DATABASE_URL (DATABASE_PASSWORD carries it)', () => {
    const env = environment(service('server-a'));
    assert.equal(new URL(env.DATABASE_URL).password, '', env.DATABASE_URL);
    assert.match(env.DATABASE_PASSWORD, /^\$\{POSTGRES_PASSWORD/);
  });
});
