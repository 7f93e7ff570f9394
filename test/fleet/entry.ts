/**
 * The fleet's public entry: deploy/nginx/deepstream.conf.template (the file compose and the proxy-topology
 * test render) on its own host, widened from two upstreams (/a/, /b/) to one per room host. Its abuse
 * limits are raised: every bot of the load harness comes from the one clients address.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { renderEntryConfig } from '../support/nginx.js';
import type { Network } from './net.js';
import { spawnOn, waitFor, type Proc } from './processes.js';

const SELF_SIGNED = path.resolve(import.meta.dirname, '../../scripts/tls-selfsigned.sh');

/**
 * The template for two processes, with hosts beyond the second added to the upstream and given their own prefix.
 * One host (the one-process baseline of `fleet -- efficiency`) stands in for both: /a/ and /b/ reach it.
 */
export function entryConfig(given: ReadonlyArray<{ letter: string; upstream: string }>, tlsDir: string): string {
  if (given.length < 1) throw new Error('the entry fronts at least one room host');
  const hosts = given.length === 1 ? [given[0]!, given[0]!] : given;
  let conf = renderEntryConfig({
    SERVER_A: hosts[0].upstream,
    SERVER_B: hosts[1].upstream,
    LISTEN: '0.0.0.0:80',
    TLS_LISTEN: '0.0.0.0:443',
    TLS_DIR: tlsDir,
    HTTPS_PUBLIC_PORT: '443',
    HTTPS_REDIRECT: 'off',
    SIGNUP_RATE: '6000r/m',
    SIGNUP_BURST: '100000',
    INGEST_RATE: '10000r/s',
    INGEST_BURST: '100000',
  });
  const extra = hosts.slice(2);
  // Every `server <second host><parameters>;` line of the upstream (the primary and the backup one) gets the
  // extra hosts after it, with the same parameters.
  const upstreamLine = new RegExp(`^  server ${hosts[1].upstream.replace(/\./g, '\\.')}( [^;]*)?;\n`, 'gm');
  const rootLocation = '  location /   {';
  if (!upstreamLine.test(conf) || !conf.includes(rootLocation))
    throw new Error('deploy/nginx/deepstream.conf.template changed shape: test/fleet/entry.ts adds hosts after its second upstream and before `location /`');
  conf = conf.replace(upstreamLine, (line: string, params: string | undefined) => line + extra.map((h) => `  server ${h.upstream}${params ?? ''};\n`).join(''));
  conf = conf.replace(rootLocation, extra.map((h) => `  location /${h.letter}/ { proxy_pass http://${h.upstream}/; }\n`).join('') + rootLocation);
  return conf;
}

export async function startEntry(network: Network, dir: string, hosts: ReadonlyArray<{ letter: string; upstream: string }>): Promise<Proc> {
  const home = path.join(dir, 'nginx');
  fs.mkdirSync(home, { recursive: true });
  execFileSync('sh', [SELF_SIGNED, path.join(home, 'tls'), network.host('entry').addresses[0]], { stdio: 'ignore' });
  fs.writeFileSync(path.join(home, 'entry.conf'), entryConfig(hosts, path.join(home, 'tls')));
  const temp = (name: string) => `${name}_temp_path ${path.join(home, name)};`;
  fs.writeFileSync(
    path.join(home, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${path.join(home, 'nginx.pid')};`,
      `error_log ${path.join(home, 'error.log')} warn;`,
      'events { worker_connections 4096; }',
      'http {',
      '  access_log off;',
      `  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}`,
      `  include ${path.join(home, 'entry.conf')};`,
      '}',
    ].join('\n'),
  );
  const proc = spawnOn(network, 'entry', 'nginx', ['nginx', '-p', home, '-c', path.join(home, 'nginx.conf'), '-g', 'daemon off; user root;'], dir);
  const address = network.host('entry').addresses[0];
  // A TCP connection, not a request: a request now would reach no room host (none is up yet), and nginx
  // would then take every upstream as failed for its fail_timeout (10 s of 502s once the hosts are up).
  await waitFor(
    'nginx entry',
    () => canConnect(address, 80),
    10_000,
    () => proc.child.exitCode !== null,
  ).catch((err: Error) => {
    throw new Error(`${err.message}\n${proc.log()}`);
  });
  return proc;
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
