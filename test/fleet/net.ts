/**
 * Hosts with their own addresses on one machine: a Linux bridge, one network namespace per host, a
 * veth pair from each namespace into the bridge. Everything is named `<prefix><run>…` (namespaces
 * `<prefix>-<run>-<host>`; prefix `dsf` unless FLEET_NAME_PREFIX says otherwise) so a teardown, or
 * `npm run fleet -- clean` after a crashed run, removes only what a fleet of that prefix made. A second
 * testbed on the same machine (another prefix and FLEET_SUBNET) never touches the first one's.
 * Every command is synchronous: the teardown must also run inside a process 'exit' handler.
 *
 * Faults use only what the kernel of the CI machine has (it has no netem, no gact, no nft queue):
 * - a host partitioned from one address: a blackhole route to it plus strict reverse-path filtering in the
 *   host's namespace, so packets are dropped silently both ways (TCP connections hang, as in a real partition);
 * - packet loss: a classic-BPF filter drawing a random number per packet (`ld rand`) that redirects the
 *   chosen packets to an ifb device that is down, i.e. drops them;
 * - latency: see relay.ts (a userspace TCP relay; the kernel cannot delay packets without netem).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** `FLEET_SUBNET` as `a.b.c` (given as `a.b.c`, `a.b.c.0` or `a.b.c.0/24`); only a /24 of the private 10/8. */
export function subnetFrom(raw: string | undefined): string {
  if (!raw) return '10.231.0';
  const m = /^(10\.\d{1,3}\.\d{1,3})(?:\.0(?:\/24)?)?$/.exec(raw.trim());
  if (!m || m[1].split('.').some((o) => Number(o) > 255)) throw new Error(`FLEET_SUBNET must be a /24 in 10.0.0.0/8 such as 10.232.0.0/24, got "${raw}"`);
  return m[1];
}

/** `FLEET_NAME_PREFIX`: a lowercase word short enough for the kernel's 15-character link names. */
export function namePrefixFrom(raw: string | undefined): string {
  if (!raw) return 'dsf';
  if (!/^[a-z][a-z0-9]{1,5}$/.test(raw)) throw new Error(`FLEET_NAME_PREFIX must be 2–6 lowercase letters or digits, starting with a letter, got "${raw}"`);
  return raw;
}

/** The /24 this testbed owns; nothing else is ever addressed. */
export const SUBNET = subnetFrom(process.env.FLEET_SUBNET);
export const BRIDGE_ADDRESS = `${SUBNET}.1`;
/** What every namespace and link of this testbed is named after. */
export const NAME_PREFIX = namePrefixFrom(process.env.FLEET_NAME_PREFIX);

export class FleetUnavailable extends Error {}

export function sh(cmd: string, args: string[], options: { quiet?: boolean } = {}): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (options.quiet) return '';
    const e = err as { stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.stderr?.trim() || e.message}`);
  }
}

function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)));
}

/** Why this machine cannot run a fleet, or undefined when it can. */
export function whyUnavailable(needs: readonly string[] = ['ip', 'tc', 'nginx', 'redis-server', 'setpriv']): string | undefined {
  if (process.platform !== 'linux') return `the fleet needs Linux network namespaces; this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'the fleet needs root (it creates network namespaces, veth pairs and a bridge): run it as root, e.g. in CI or with sudo';
  for (const tool of needs)
    if (!onPath(tool))
      return `the fleet needs \`${tool}\` on the PATH (${tool === 'nginx' ? "Debian's nginx, as .ci/run installs it" : tool === 'ip' || tool === 'tc' ? 'iproute2' : tool === 'setpriv' ? 'util-linux' : 'Debian redis-server'})`;
  const probe = `${NAME_PREFIX}-probe-${process.pid}`;
  const made = sh('ip', ['netns', 'add', probe], { quiet: true }) !== '' || fs.existsSync(`/run/netns/${probe}`);
  sh('ip', ['netns', 'del', probe], { quiet: true });
  if (!made) return '`ip netns add` failed here (a container without CAP_SYS_ADMIN?)';
  return undefined;
}

export interface HostNet {
  name: string;
  ns: string;
  /** The host's addresses (the first is its own; a store host has one per service). */
  addresses: string[];
  /** The root-namespace end of its veth pair (in the bridge). */
  bridgePort: string;
}

/** The bridge and the namespaces of one run. */
export class Network {
  readonly bridge: string;
  readonly hosts = new Map<string, HostNet>();
  private nextPort = 0;
  private removed = false;

  constructor(readonly runId: string) {
    this.bridge = `${NAME_PREFIX}${runId}br`;
  }

  up(): void {
    sh('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
    sh('ip', ['addr', 'add', `${BRIDGE_ADDRESS}/24`, 'dev', this.bridge]);
    sh('ip', ['link', 'set', this.bridge, 'up']);
  }

  /** A namespace `name` with `addresses` on its eth0, plugged into the bridge. */
  addHost(name: string, addresses: string[]): HostNet {
    const ns = `${NAME_PREFIX}-${this.runId}-${name}`;
    const bridgePort = `${NAME_PREFIX}${this.runId}v${this.nextPort++}`;
    sh('ip', ['netns', 'add', ns]);
    const host = { name, ns, addresses, bridgePort };
    this.hosts.set(name, host);
    sh('ip', ['link', 'add', bridgePort, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
    sh('ip', ['link', 'set', bridgePort, 'master', this.bridge]);
    sh('ip', ['link', 'set', bridgePort, 'up']);
    this.exec(name, 'ip', ['link', 'set', 'lo', 'up']);
    for (const a of addresses) this.exec(name, 'ip', ['addr', 'add', `${a}/24`, 'dev', 'eth0']);
    this.exec(name, 'ip', ['link', 'set', 'eth0', 'up']);
    return host;
  }

  host(name: string): HostNet {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no host ${name} in this fleet (${[...this.hosts.keys()].join(', ')})`);
    return h;
  }

  /** Runs a command inside a host's namespace, synchronously. */
  exec(name: string, cmd: string, args: string[], options: { quiet?: boolean } = {}): string {
    return sh('ip', ['netns', 'exec', this.host(name).ns, cmd, ...args], options);
  }

  /** `ip netns exec` argv prefix for spawning a long-running process on a host. */
  prefix(name: string): string[] {
    return ['ip', 'netns', 'exec', this.host(name).ns];
  }

  /** Pids of every process in a host's namespace. */
  pids(name: string): number[] {
    return sh('ip', ['netns', 'pids', this.host(name).ns], { quiet: true })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  }

  /** Sends `signal` to every process on the host ("the host lost" when SIGKILL). Returns how many. */
  signalAll(name: string, signal: NodeJS.Signals = 'SIGKILL'): number {
    const pids = this.pids(name);
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    return pids.length;
  }

  /** Cuts (or restores) the host's link: its veth goes down on both ends. */
  setLink(name: string, up: boolean): void {
    const state = up ? 'up' : 'down';
    sh('ip', ['link', 'set', this.host(name).bridgePort, state]);
    this.exec(name, 'ip', ['link', 'set', 'eth0', state]);
  }

  /** Partitions `name` from `address` only: silent drops both ways (blackhole route + strict rp_filter). */
  partition(name: string, address: string): void {
    for (const dev of ['all', 'eth0']) this.exec(name, 'sysctl', ['-qw', `net.ipv4.conf.${dev}.rp_filter=1`]);
    this.exec(name, 'ip', ['route', 'add', 'blackhole', `${address}/32`]);
  }

  heal(name: string, address: string): void {
    this.exec(name, 'ip', ['route', 'del', 'blackhole', `${address}/32`], { quiet: true });
  }

  /**
   * Drops a random `percent` of the packets leaving `name` and of the packets the bridge sends to it
   * (both directions of its link). Classic BPF `ld rand` draws per packet; a match is redirected to an ifb
   * device that is never up, which drops it.
   */
  addLoss(name: string, percent: number): void {
    const host = this.host(name);
    const threshold = Math.round((percent / 100) * 2 ** 32);
    // ld rand; if A >= threshold → return 0 (no match) else return -1 (match: the action drops it).
    const bytecode = `4,32 0 0 ${2 ** 32 - 0x1000 + 56},53 1 0 ${threshold},6 0 0 ${2 ** 32 - 1},6 0 0 0`;
    const sink = `${NAME_PREFIX}${this.runId}x`;
    if (!sh('ip', ['link', 'show', sink], { quiet: true })) sh('ip', ['link', 'add', sink, 'type', 'ifb']);
    this.exec(name, 'ip', ['link', 'add', 'dsfsink', 'type', 'ifb'], { quiet: true });
    const filter = (where: string[], dev: string) => {
      sh(where[0], [...where.slice(1), 'tc', 'qdisc', 'add', 'dev', dev, 'clsact']);
      sh(where[0], [
        ...where.slice(1),
        'tc',
        'filter',
        'add',
        'dev',
        dev,
        'egress',
        'bpf',
        'bytecode',
        bytecode,
        'action',
        'mirred',
        'egress',
        'redirect',
        'dev',
        where.length > 1 ? 'dsfsink' : sink,
      ]);
    };
    filter(['ip', 'netns', 'exec', host.ns], 'eth0');
    filter(['env'], host.bridgePort);
  }

  removeLoss(name: string): void {
    const host = this.host(name);
    this.exec(name, 'tc', ['qdisc', 'del', 'dev', 'eth0', 'clsact'], { quiet: true });
    sh('tc', ['qdisc', 'del', 'dev', host.bridgePort, 'clsact'], { quiet: true });
  }

  /** Packets the loss filters dropped on `name`'s link so far (both directions). */
  lossDropped(name: string): number {
    const host = this.host(name);
    const count = (text: string) => [...text.matchAll(/Sent \d+ bytes (\d+) pkt/g)].reduce((s, m) => s + Number(m[1]), 0);
    return (
      count(this.exec(name, 'tc', ['-s', 'filter', 'show', 'dev', 'eth0', 'egress'], { quiet: true })) +
      count(sh('tc', ['-s', 'filter', 'show', 'dev', host.bridgePort, 'egress'], { quiet: true }))
    );
  }

  /** Kills every process in every namespace, deletes the namespaces (their veths go with them) and the bridge. */
  down(): void {
    if (this.removed) return;
    this.removed = true;
    // Clients and servers first, the store last: nothing logs the store's disappearance as a fault of its own.
    for (const name of [...this.hosts.keys()].reverse()) this.signalAll(name, 'SIGKILL');
    // The veth pairs go explicitly: a namespace outlives `ip netns del` while a socket of a killed process
    // still retransmits its FIN (minutes), and with it the pair would stay in the root namespace.
    for (const { ns, bridgePort } of this.hosts.values()) {
      sh('ip', ['link', 'del', bridgePort], { quiet: true });
      sh('ip', ['netns', 'del', ns], { quiet: true });
    }
    sh('ip', ['link', 'del', `${NAME_PREFIX}${this.runId}x`], { quiet: true });
    sh('ip', ['link', 'del', this.bridge], { quiet: true });
  }
}

/**
 * Removes every namespace and link a fleet of this prefix left behind (a run killed with SIGKILL cannot clean
 * up after itself). The names are matched exactly, so `dsf` never takes a `dsf2` testbed's links.
 */
export function cleanLeftovers(): string[] {
  const removed: string[] = [];
  const nsName = new RegExp(`^${NAME_PREFIX}-([0-9a-f]{4}|probe)-`);
  const linkName = new RegExp(`^${NAME_PREFIX}[0-9a-f]{4}(br|v\\d+|x)$`);
  for (const ns of sh('ip', ['netns', 'list'], { quiet: true })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => nsName.test(n))) {
    for (const pid of sh('ip', ['netns', 'pids', ns], { quiet: true }).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone
      }
    }
    sh('ip', ['netns', 'del', ns], { quiet: true });
    removed.push(ns);
  }
  for (const link of sh('ip', ['-o', 'link', 'show'], { quiet: true })
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter((n) => !!n && linkName.test(n))) {
    sh('ip', ['link', 'del', link], { quiet: true });
    removed.push(link);
  }
  return removed;
}
