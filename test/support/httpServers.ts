import type { TestDatabase } from './db.js';
import { useServer, type ServerProcess } from './serverProcess.js';

export type TransportKind = 'uws' | 'ws';
export const TRANSPORTS: readonly TransportKind[] = ['uws', 'ws'];

/** What a test body gets: the running server of this transport, and its database. */
export interface ServerUnderTest {
  server: () => ServerProcess;
  db: () => TestDatabase;
  transport: TransportKind;
}

/**
 * Defines `define`'s tests once per transport, each against a real server process ({@link useServer}:
 * its own database, `env` on top of a no-Redis default, SIGTERM must exit 0, so no request may have
 * killed it).
 */
export function describeOverBothTransports(title: string, env: Record<string, string | undefined>, define: (sut: ServerUnderTest) => void): void {
  describe(title, function () {
    this.timeout(60_000);
    for (const transport of TRANSPORTS) {
      describe(`over ${transport}`, () => {
        const running = useServer({ TRANSPORT: transport, ...env });
        define({ server: () => running().server, db: () => running().db, transport });
      });
    }
  });
}
