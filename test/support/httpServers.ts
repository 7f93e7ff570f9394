import { useTestDatabase, type TestDatabase } from './db.js';
import { startServerProcess, type ServerProcess } from './serverProcess.js';

export type TransportKind = 'uws' | 'ws';
export const TRANSPORTS: readonly TransportKind[] = ['uws', 'ws'];

/** What a test body gets: the running server of this transport, and the file's database. */
export interface ServerUnderTest {
  server: () => ServerProcess;
  db: () => TestDatabase;
  transport: TransportKind;
}

/**
 * Defines `define`'s tests once per transport, each against a real server process (`tsx src/main.ts`)
 * on a free port. The servers share one database per call (they run one after the other) and start
 * with `env` on top of a no-Redis default. After the tests the server must still be running (no
 * request may have killed it) and must stop cleanly.
 */
export function describeOverBothTransports(title: string, env: Record<string, string | undefined>, define: (sut: ServerUnderTest) => void): void {
  describe(title, function () {
    this.timeout(60_000);
    const db = useTestDatabase({ migrate: false });
    for (const transport of TRANSPORTS) {
      describe(`over ${transport}`, function () {
        let server: ServerProcess | undefined;
        before(async () => {
          server = await startServerProcess({ DATABASE_URL: db().url, TRANSPORT: transport, REDIS_URL: undefined, ...env });
        });
        after(async () => {
          if (!server) return;
          const alive = server.proc.exitCode === null;
          const code = await server.stop('SIGTERM');
          if (!alive) throw new Error(`the ${transport} server died during the tests:\n${server.output().slice(-4000)}`);
          if (code !== 0) throw new Error(`the ${transport} server exited ${code} on SIGTERM:\n${server.output().slice(-4000)}`);
        });
        define({
          server: () => {
            if (!server) throw new Error('the server is not up: call server() inside a test or hook');
            return server;
          },
          db,
          transport,
        });
      });
    }
  });
}
