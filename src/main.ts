import { describeConfig, loadConfig } from './config/config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';
import { LogTail } from './ops/logTail.js';
import { routeConsoleToLogger } from './libraryLogger.js';

/** Process entry: config → logger → app; SIGTERM/SIGINT stop it in reverse order and exit 0. */
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
  const logTail = new LogTail(config.logTailLines);
  const log = createLogger(config.logLevel, logTail);
  routeConsoleToLogger(log);
  log.info({ config: describeConfig(config) }, 'booting');
  const app = await startApp(config, log, { logTail }).catch((err: Error) => {
    log.fatal({ err }, `boot failed: ${err.message}`);
    process.exit(1);
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    const failed = await app.stop();
    clearTimeout(deadline);
    if (failed.length > 0) {
      log.error({ failed }, 'stopped, but these components did not stop cleanly (see the errors above)');
      process.exit(1);
    }
    log.info('stopped cleanly');
    process.exit(0);
  };
  // A rejected promise nobody awaited is a bug to log, not a reason to drop every session on the process.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection (a bug: the work that failed was not awaited)'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
