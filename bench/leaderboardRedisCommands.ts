/**
 * Counts the Redis commands of the leaderboard path alone, next to a load test: the
 * load-test report counts every command Redis ran (Colyseus presence, the station cache, other users of a
 * shared Redis), this counts those on `<prefix>lb:` keys and channels, plus the MULTI/EXEC around them,
 * through MONITOR (commands run inside scripts included, as INFO commandstats counts them).
 *
 *   npx tsx bench/leaderboardRedisCommands.ts --prefix <REDIS_PREFIX> --delay 25 --seconds 30 [--url redis://127.0.0.1:6379]
 *
 * Also prints the ZINCRBYs by leaderboard and bucket kind (h, d, all), i.e. where the writes go.
 * Start it with the load test; `--delay` skips the server's boot and the ramp. MONITOR slows Redis a little:
 * run it for the before and the after alike.
 */
import { Redis } from 'ioredis';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : fallback;
  if (value === undefined) throw new Error(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const url = arg('url', process.env.REDIS_URL || 'redis://127.0.0.1:6379');
  const marker = `${arg('prefix')}lb:`;
  const delaySec = Number(arg('delay', '0'));
  const seconds = Number(arg('seconds', '30'));
  await new Promise((r) => setTimeout(r, delaySec * 1000));
  const counts = new Map<string, number>();
  const add = (command: string, n = 1) => counts.set(command, (counts.get(command) ?? 0) + n);
  const byBoard = new Map<string, number>();
  // An open MULTI per connection: counted when one of its commands touched the leaderboard keys.
  const open = new Map<string, { touched: boolean }>();
  const client = new Redis(url);
  const monitor = await client.monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const command = String(args[0]).toLowerCase();
    if (command === 'multi') return void open.set(source, { touched: false });
    if (command === 'exec' || command === 'discard') {
      if (open.get(source)?.touched) add('multi/exec', 2);
      return void open.delete(source);
    }
    if (!args.slice(1).some((a) => String(a).includes(marker))) return;
    add(command);
    if (command === 'zincrby') {
      const m = /lb:\{([^}]*)\}:b:(h|d|all)/.exec(String(args[1]));
      const board = m ? `${decodeURIComponent(m[1])} ${m[2]}` : 'other';
      byBoard.set(board, (byBoard.get(board) ?? 0) + 1);
    }
    const tx = open.get(source);
    if (tx) tx.touched = true;
  });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  monitor.disconnect();
  client.disconnect();
  const total = [...counts.values()].reduce((s, n) => s + n, 0);
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`);
  console.log(
    `leaderboard-path Redis commands over ${seconds} s (keys/channels with "${marker}"): ${total} (${(total / seconds).toFixed(1)}/s): ${rows.join(', ')}`,
  );
  const boards = [...byBoard].sort((a, b) => b[1] - a[1]).map(([board, n]) => `${board} ${(n / seconds).toFixed(1)}/s`);
  console.log(`ZINCRBY by leaderboard and bucket: ${boards.join(', ') || 'none'}`);
}

main().then(
  // A MONITOR connection under load can keep the process alive after disconnect: leave explicitly.
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
