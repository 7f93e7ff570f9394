// First: an older Node stops here with one line, before the rest of the server loads.
import './nodeVersion.js';
import { describeConfig, loadConfig } from './config/config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { startApp, type RunningApp } from './app.js';
import { LogTail } from '../features/ops/logTail.js';
import { routeConsoleToLogger } from './libraryLogger.js';

/** The same Ctrl-C, not a second one. */
const SAME_CTRL_C_MS = 1000;

/** SIGTERM/SIGINT/SIGHUP drain and exit 0; a second Ctrl-C during the drain exits at once (130). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logTail = new LogTail(config.ops.logTailLines);
  const log = createLogger(config.logLevel, logTail);
  routeConsoleToLogger(log);
  log.info({ config: describeConfig(config) }, 'booting');
  if (config.devRaisedLimits)
    log.warn(
      'DEV_RAISED_LIMITS: sign-up, sign-in, matchmake and ingest limits are raised for the load-test harness (npm start sets it; NODE_ENV=production refuses it; DEV_RAISED_LIMITS=false keeps the real ones)',
    );
  // Signals are handled from the start: dying of a Ctrl-C during boot would leave the embedded PostgreSQL running.
  // A drain asked for during boot begins once the boot is done.
  const booting = startApp(config, log, { logTail });
  const booted: { app?: RunningApp } = {};
  let stoppingSince = 0;
  const shutdown = async (signal: string): Promise<void> => {
    if (stoppingSince) return;
    stoppingSince = Date.now();
    log.info({ signal, booted: booted.app !== undefined }, 'shutting down');
    const running = await booting.catch(() => new Promise<never>(() => {})); // a failed boot exits below
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    const failed = await running.stop();
    clearTimeout(deadline);
    if (failed.length > 0) {
      log.error({ failed }, 'stopped, but these components did not stop cleanly (see the errors above)');
      process.exit(1);
    }
    log.info({ ms: Date.now() - stoppingSince }, 'stopped cleanly');
    process.exit(0);
  };
  // The way out of a drain that hangs; the embedded PostgreSQL's exit hook still asks for a fast shutdown.
  const forceExit = (): void => {
    log.warn(
      { pending: booted.app?.context.life.pending() ?? {}, drainingMs: Date.now() - stoppingSince },
      'second Ctrl-C: exiting now without finishing the drain; lost: passport events still queued (room telemetry; HTTP 202s come after the commit), session counter saves still waiting, sessions not yet ended; running jobs stay "running" until their next run marks them abandoned',
    );
    process.exit(130);
  };
  // A rejected promise nobody awaited is a bug to log, not a reason to drop every session on the process.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (a bug: the work that failed was not awaited)'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A closed terminal drains too: dying of SIGHUP would leave the embedded PostgreSQL running.
  process.on('SIGHUP', () => void shutdown('SIGHUP'));
  process.on('SIGINT', () => {
    if (!stoppingSince) return void shutdown('SIGINT');
    // Under `npm start` one Ctrl-C arrives twice: from the terminal, and forwarded by npm a moment later.
    if (Date.now() - stoppingSince >= SAME_CTRL_C_MS) forceExit();
  });
  booted.app = await booting.catch((err: Error) => {
    log.fatal({ err }, `boot failed: ${err.message}`);
    process.exit(1);
  });
}

void main();
