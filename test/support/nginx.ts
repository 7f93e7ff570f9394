import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../loadtest/spawnServer.js';

const TEMPLATE = path.resolve(import.meta.dirname, '../../deploy/nginx/deepstream.conf.template');
const SELF_SIGNED = path.resolve(import.meta.dirname, '../../scripts/tls-selfsigned.sh');

export interface PrivateNginx {
  port: number;
  baseUrl: string;
  /** The TLS listener (the same server block) and the self-signed certificate it presents, to trust in a client. */
  tlsPort: number;
  httpsUrl: string;
  ca: string;
  stop(): Promise<void>;
}

/** The entry's limits as docker-compose.yml sets them (its `entry` service environment). */
export const ENTRY_LIMITS = { SIGNUP_RATE: '30r/m', SIGNUP_BURST: '20', INGEST_RATE: '50r/s', INGEST_BURST: '200' };

type EntryVars = Record<'SERVER_A' | 'SERVER_B' | 'LISTEN' | 'TLS_LISTEN' | 'TLS_DIR' | 'HTTPS_PUBLIC_PORT' | 'HTTPS_REDIRECT', string> &
  Partial<typeof ENTRY_LIMITS>;

/** deploy/nginx/deepstream.conf.template with its ${…} variables filled in, as the nginx image's envsubst does. */
export function renderEntryConfig(vars: EntryVars): string {
  const all: Record<string, string> = { ...ENTRY_LIMITS, ...vars };
  return fs.readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
    if (all[name] === undefined) throw new Error(`the entry template reads \${${name}}, which neither docker-compose.yml's entry nor this harness sets`);
    return all[name];
  });
}

export interface EntryOptions {
  listenPort?: number;
  limits?: Partial<typeof ENTRY_LIMITS>;
  /** Plain HTTP redirects to HTTPS except /health* (compose: on). Off: both listeners serve. */
  httpsRedirect?: boolean;
}

/**
 * A private nginx (Debian's `nginx` binary, installed by .ci/run) in a temp prefix on a free loopback
 * port, running the project's entry config in front of two server processes. Never the system service.
 */
export async function startPrivateNginx(serverA: string, serverB: string, options: EntryOptions = {}): Promise<PrivateNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-nginx-'));
  const port = options.listenPort ?? (await freePort());
  const tlsPort = await freePort();
  // The script compose's `tls` service runs: the test covers it too.
  execFileSync('sh', [SELF_SIGNED, path.join(dir, 'tls'), '127.0.0.1'], { stdio: 'ignore' });
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  const tls = {
    TLS_LISTEN: `127.0.0.1:${tlsPort}`,
    TLS_DIR: path.join(dir, 'tls'),
    HTTPS_PUBLIC_PORT: String(tlsPort),
    HTTPS_REDIRECT: options.httpsRedirect ? 'on' : 'off',
  };
  fs.writeFileSync(
    path.join(dir, 'entry.conf'),
    renderEntryConfig({ SERVER_A: serverA, SERVER_B: serverB, LISTEN: `127.0.0.1:${port}`, ...tls, ...options.limits }),
  );
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
      `  include ${path.join(dir, 'entry.conf')};`,
      '}',
    ].join('\n'),
  );
  const proc: ChildProcess = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off; user root;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  proc.on('error', (err) => (stderr += `${err.message} (is nginx installed? .ci/run installs Debian's nginx)`));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null || stderr.includes('ENOENT')) throw new Error(`nginx did not start: ${stderr}`);
    const up = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(500) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const ca = fs.readFileSync(path.join(dir, 'tls', 'fullchain.pem'), 'utf8');
  return {
    port,
    baseUrl,
    tlsPort,
    httpsUrl: `https://127.0.0.1:${tlsPort}`,
    ca,
    stop: async () => {
      proc.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
