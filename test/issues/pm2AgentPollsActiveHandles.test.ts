import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * a test process aborted in Node itself ("AsyncWrap::GetOwner Assertion failed: !obj.IsEmpty()",
 * in process._getActiveHandles called by @pm2/io's event-loop metric). Colyseus imports @pm2/io when it is
 * installed, and its agent polls the handles every 1 s and 3 s. Each case runs a Colyseus server in a child
 * process of its own (this one's agent is stopped by the root hooks) and counts those calls for 3.5 s.
 */
function handlePollsIn(childStopsAgent: boolean): Promise<number> {
  const script = `
    let polls = 0;
    const original = process._getActiveHandles;
    process._getActiveHandles = function () { polls++; return original.call(process); };
    const { stopPm2Agent } = await import(${JSON.stringify(`${root}src/pm2Agent.ts`)});
    if (${childStopsAgent}) await stopPm2Agent();
    const { Server } = await import('@colyseus/core');
    const { WebSocketTransport } = await import('@colyseus/ws-transport');
    const server = new Server({ transport: new WebSocketTransport(), greet: false, gracefullyShutdown: false });
    await server.listen(0, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 3500));
    process.stdout.write(JSON.stringify({ polls }));
    process.exit(0);`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`child failed: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout.slice(stdout.lastIndexOf('{'))).polls);
    });
  });
}

describe('issue: the @pm2/io agent Colyseus loads polled process._getActiveHandles (a Node 20 abort)', function () {
  this.timeout(30_000);

  it('with the agent stopped first (as startApp does), a Colyseus server process never polls the handles', async () => {
    assert.equal(await handlePollsIn(true), 0);
  });

  it('without stopping it the polling is there (if this fails, Colyseus no longer loads @pm2/io and stopPm2Agent can go)', async () => {
    assert.ok((await handlePollsIn(false)) >= 3, 'about one poll a second, and one every 3 s');
  });
});
