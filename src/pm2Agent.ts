/** The optional @pm2/io module as far as it is used here (a CommonJS singleton; imported by name: it may be absent). */
type Pm2Io = { default: { destroy(): void } };
const PM2_IO = '@pm2/io';

/**
 * @colyseus/core reports room and CCU gauges to PM2 through @pm2/io when that is installed (dev installs:
 * @colyseus/testing brings it; the production image, `npm ci --omit=dev`, has none). Importing it starts an
 * agent that calls process._getActiveHandles() every 1 s and 3 s (that call once aborted a Node 20 process in
 * CI: "AsyncWrap::GetOwner Assertion failed: !obj.IsEmpty()"). This server does not run under PM2 (its
 * metrics are prom-client's), so the agent is stopped before Colyseus starts; its gauges go nowhere.
 */
export async function stopPm2Agent(): Promise<void> {
  const io = (await import(PM2_IO).catch(() => null)) as Pm2Io | null;
  io?.default.destroy();
}
