/**
 * A TCP relay that delays every byte by a fixed time in each direction: the latency between the room
 * hosts and the store host. The kernel of the CI machine has no netem, so the delay is added here, on the
 * store host, in front of Redis and Postgres (Toxiproxy's approach); packet loss stays in the kernel
 * (net.ts addLoss), so TCP retransmits for real. Run inside the store's namespace:
 *   node --import tsx test/fleet/relay.ts <listenHost:port> <targetHost:port> <upMs> <downMs>
 */
import net from 'node:net';

export function startRelay(listen: string, target: string, upMs: number, downMs: number): net.Server {
  const [lh, lp] = split(listen);
  const [th, tp] = split(target);
  const server = net.createServer((client) => {
    const upstream = net.connect(tp, th);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipeDelayed(client, upstream, upMs);
    pipeDelayed(upstream, client, downMs);
    const close = () => (client.destroy(), upstream.destroy());
    client.on('error', close).on('close', () => setTimeout(close, upMs));
    upstream.on('error', close).on('close', () => setTimeout(close, downMs));
  });
  server.listen(lp, lh);
  return server;
}

/** Forwards `from` to `to` `ms` later, in order (timers of one duration fire first-in first-out). */
function pipeDelayed(from: net.Socket, to: net.Socket, ms: number): void {
  from.on('data', (chunk) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, ms);
  });
}

function split(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), Number(hostPort.slice(i + 1))];
}

if (process.argv[1]?.endsWith('relay.ts')) {
  const [listen, target, up, down] = process.argv.slice(2);
  startRelay(listen, target, Number(up), Number(down)).on('listening', () => process.stdout.write(`relay ${listen} → ${target} (+${up} ms up, +${down} ms down)\n`));
}
