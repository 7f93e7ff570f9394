/**
 * A TCP relay that delays every byte by a fixed time in each direction: the latency between the room
 * hosts and the store host. The kernel of the CI machine has no netem, so the delay is added here, on the
 * store host, in front of Redis and Postgres (Toxiproxy's approach); packet loss stays in the kernel
 * (net.ts addLoss), so TCP retransmits for real. Run inside the store's namespace:
 *   node --import tsx test/fleet/relay.ts <listenHost:port> <targetHost:port> <upMs> <downMs> [off]
 * `off`: starts without delay (a fleet boots and migrates at full speed); SIGUSR2 turns the delay on, SIGUSR1 off.
 */
import net from 'node:net';

export function startRelay(listen: string, target: string, upMs: number, downMs: number, on = true): net.Server {
  const delay = { on };
  process.on('SIGUSR2', () => void (delay.on = true));
  process.on('SIGUSR1', () => void (delay.on = false));
  const [lh, lp] = split(listen);
  const [th, tp] = split(target);
  const server = net.createServer((client) => {
    const upstream = net.connect(tp, th);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipeDelayed(client, upstream, () => (delay.on ? upMs : 0));
    pipeDelayed(upstream, client, () => (delay.on ? downMs : 0));
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close).on('close', () => setTimeout(close, upMs));
    upstream.on('error', close).on('close', () => setTimeout(close, downMs));
  });
  server.listen(lp, lh);
  return server;
}

/** Forwards `from` to `to` `ms` later, in order (timers of one duration fire first-in first-out). */
function pipeDelayed(from: net.Socket, to: net.Socket, ms: () => number): void {
  from.on('data', (chunk) => {
    const wait = ms();
    if (wait === 0) to.write(chunk);
    else setTimeout(() => void (to.destroyed || to.write(chunk)), wait);
  });
}

function split(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

if (process.argv[1]?.endsWith('relay.ts')) {
  const [listen, target, up, down, state] = process.argv.slice(2);
  startRelay(listen, target, Number(up), Number(down), state !== 'off').on('listening', () =>
    process.stdout.write(`relay ${listen} → ${target} (+${up} ms up, +${down} ms down)\n`),
  );
}
