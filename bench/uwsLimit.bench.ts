/**
 * The physical limit: how many small binary WebSocket frames one core of this machine can send with
 * uWebSockets.js, with and without corking, and with the pure-JS `ws` server for comparison.
 * `npm run bench:uws-limit -- [--clients 1000] [--seconds 5] [--bytes 40] [--batch 4]`
 *
 * The server (this process's main thread) sends `--batch` frames of `--bytes` bytes to every client on
 * each round; the clients (a child process, so their CPU is not ours) only count what arrives. Each
 * mode reports frames/s and frames per server-CPU-second (process.cpuUsage of this process, which holds
 * only the server: the clients run elsewhere). "corked" wraps each client's frames of a round in
 * `ws.cork()`: one syscall per client per round instead of one per frame, as a room's tick could do.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { WebSocketServer, WebSocket } from 'ws';

interface UwsSocket {
  send(message: Uint8Array, isBinary: boolean): number;
  cork(cb: () => void): void;
  getBufferedAmount(): number;
}
interface Row {
  mode: string;
  frames: number;
  framesPerSec: number;
  cpuSec: number;
  framesPerCpuSec: number;
  backpressured: number;
}

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const CLIENTS = flag('clients', 1000);
const SECONDS = flag('seconds', 5);
const BYTES = flag('bytes', 40);
const BATCH = flag('batch', 4);
const frame = new Uint8Array(BYTES).fill(7);

if (process.argv.includes('--client-process')) runClients();
else void main();

/** Child: opens the sockets, counts frames, reports on request. */
function runClients(): void {
  const url = process.argv[process.argv.indexOf('--url') + 1];
  let frames = 0;
  let open = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const ws = new WebSocket(url);
    ws.on('open', () => ++open === CLIENTS && process.send?.({ type: 'open' }));
    ws.on('message', () => void frames++);
    ws.on('error', (err) => process.send?.({ type: 'error', message: err.message }));
    sockets.push(ws);
  }
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'count') process.send?.({ type: 'count', frames });
    if (msg.type === 'close') {
      for (const ws of sockets) ws.terminate();
      process.exit(0);
    }
  });
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  rows.push(await measureUws(false));
  rows.push(await measureUws(true));
  rows.push(await measureWs());
  process.stdout.write(`\n${CLIENTS} clients, ${BATCH} frames of ${BYTES} B per client per round, ${SECONDS} s per mode, clients in a child process\n\n`);
  process.stdout.write('| server | frames sent | frames/s | server CPU s | frames per CPU-second | sends that hit backpressure |\n|---|---|---|---|---|---|\n');
  for (const r of rows)
    process.stdout.write(
      `| ${r.mode} | ${r.frames.toLocaleString('en-US')} | ${Math.round(r.framesPerSec).toLocaleString('en-US')} | ${r.cpuSec.toFixed(2)} | ${Math.round(r.framesPerCpuSec).toLocaleString('en-US')} | ${r.backpressured} |\n`,
    );
  process.exit(0);
}

/** Runs rounds for SECONDS: each round sends to every socket, then yields so I/O can drain. */
async function drive(mode: string, send: () => number, url: string): Promise<Row> {
  const child = await startClients(url);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let frames = 0;
  let backpressured = 0;
  while (performance.now() - t0 < SECONDS * 1000) {
    backpressured += send();
    frames += CLIENTS * BATCH;
    await new Promise((r) => setImmediate(r));
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const received = await ask(child);
  child.send({ type: 'close' });
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  if (received < frames * 0.5) process.stderr.write(`${mode}: clients counted ${received} of ${frames} frames so far (the rest was still in flight)\n`);
  return { mode, frames, framesPerSec: frames / elapsed, cpuSec, framesPerCpuSec: frames / cpuSec, backpressured };
}

async function measureUws(corked: boolean): Promise<Row> {
  const require = createRequire(import.meta.url);
  const uws = require('uWebSockets.js');
  const sockets: UwsSocket[] = [];
  const app = uws.App().ws('/*', {
    maxBackpressure: 64 * 1024 * 1024,
    open: (ws: UwsSocket) => void sockets.push(ws),
    close: (ws: UwsSocket) => sockets.splice(sockets.indexOf(ws), 1),
  });
  const port: number = await new Promise((resolve, reject) =>
    app.listen('127.0.0.1', 0, (token: unknown) => (token ? resolve(uws.us_socket_local_port(token)) : reject(new Error('uWS did not listen')))),
  );
  const sendAll = (ws: UwsSocket): number => {
    let hit = 0;
    for (let b = 0; b < BATCH; b++) if (ws.send(frame, true) !== 1) hit++;
    return hit;
  };
  try {
    return await drive(
      corked ? 'uWS, corked per client per round' : 'uWS, one send per frame',
      () => {
        let hit = 0;
        for (const ws of sockets) {
          if (corked) ws.cork(() => void (hit += sendAll(ws)));
          else hit += sendAll(ws);
        }
        return hit;
      },
      `ws://127.0.0.1:${port}`,
    );
  } finally {
    app.close();
  }
}

async function measureWs(): Promise<Row> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  try {
    return await drive(
      'ws (pure JS)',
      () => {
        for (const ws of server.clients) for (let b = 0; b < BATCH; b++) ws.send(frame, { binary: true });
        return 0;
      },
      `ws://127.0.0.1:${port}`,
    );
  } finally {
    for (const ws of server.clients) ws.terminate();
    server.close();
  }
}

function startClients(url: string): Promise<ChildProcess> {
  const child = fork(process.argv[1], ['--client-process', '--url', url, '--clients', String(CLIENTS)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.on('message', (msg: { type: string; message?: string }) => {
      if (msg.type === 'open') resolve(child);
      if (msg.type === 'error') reject(new Error(`client: ${msg.message}`));
    });
    child.once('exit', (code) => reject(new Error(`clients exited with ${code}`)));
  });
}

function ask(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string; frames?: number }) => {
      if (msg.type !== 'count') return;
      child.off('message', onMessage);
      resolve(msg.frames ?? 0);
    };
    child.on('message', onMessage);
    child.send({ type: 'count' });
  });
}
