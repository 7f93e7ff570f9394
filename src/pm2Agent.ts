/** Imported by name: it may be absent. */
type Pm2Io = { default: { destroy(): void } };
const PM2_IO = '@pm2/io';

/**
 * @colyseus/core reports gauges through @pm2/io when installed (dev installs), which starts an agent calling
 * process._getActiveHandles() every second (that once aborted a Node 20 process in CI). We do not run under PM2:
 * the agent is stopped before Colyseus starts.
 */
export async function stopPm2Agent(): Promise<void> {
  const io = (await import(PM2_IO).catch(() => null)) as Pm2Io | null;
  io?.default.destroy();
}
