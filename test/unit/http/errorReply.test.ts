import assert from 'node:assert/strict';
import pino from 'pino';
import type { Logger } from '../../../src/logger.js';
import { errorReply } from '../../../src/http/errors.js';
import { AppError } from '../../../systems/errors.js';

function capturingLogger(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) as unknown as Logger;
  return { log, lines };
}

describe('HTTP errorReply: what a 5xx logs', () => {
  it('a 5xx the client is told to retry (Retry-After) logs one debug line without a stack', () => {
    const { log, lines } = capturingLogger();
    const reply = errorReply(new AppError('RIDE_MOVING', 'the ride is moving', undefined, 1), log, 'req-1');
    assert.equal(reply.status, 503);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 20);
    assert.equal(lines[0]!.code, 'RIDE_MOVING');
    assert.equal(lines[0]!.err, undefined);
  });

  it('a 5xx without Retry-After, or a driver error behind a 503, still warns with its cause; an unknown error is an error', () => {
    const { log, lines } = capturingLogger();
    errorReply(new AppError('RIDE_MOVING', 'the ride is moving'), log, 'req-2');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const outage = errorReply(refused, log, 'req-3');
    errorReply(new Error('socket hang up'), log, 'req-4');
    assert.equal(outage.status, 503);
    assert.deepEqual(
      lines.map((l) => l.level),
      [40, 40, 50],
    );
    assert.ok((lines[0]!.err as { stack?: string }).stack);
    assert.match((lines[1]!.err as { message: string }).message, /ECONNREFUSED/);
    assert.match((lines[2]!.err as { stack: string }).stack, /socket hang up/);
  });
});
