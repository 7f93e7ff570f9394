import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from '../../../persistence/dbErrors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('recognises a refused or dropped connection (pg-pool, node-postgres)', () => {
    assert.ok(isDatabaseUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
    assert.ok(isDatabaseUnavailable(new Error('Connection terminated unexpectedly')));
    assert.ok(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect')));
  });

  it('recognises Postgres shutting down, starting up or out of connections', () => {
    for (const code of ['57P01', '57P03', '08006', '08001', '53300']) assert.ok(isDatabaseUnavailable(withCode('x', code)), code);
  });

  it('looks through cause chains, AggregateError and MikroORM ConnectionException', () => {
    const refused = withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED');
    assert.ok(isDatabaseUnavailable(new AggregateError([refused], 'all attempts failed')));
    assert.ok(isDatabaseUnavailable(new Error('query failed', { cause: refused })));
    assert.ok(isDatabaseUnavailable(Object.assign(new Error('x'), { name: 'ConnectionException' })));
  });

  it('leaves query bugs and constraint violations to be 500s', () => {
    assert.equal(isDatabaseUnavailable(withCode('duplicate key value violates unique constraint "users_pkey"', '23505')), false);
    assert.equal(isDatabaseUnavailable(withCode('syntax error at or near "selec"', '42601')), false);
    assert.equal(isDatabaseUnavailable(new TypeError('x is undefined')), false);
    assert.equal(isDatabaseUnavailable(undefined), false);
  });

  it('stops on a cyclic cause', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    a.cause = a;
    assert.equal(isDatabaseUnavailable(a), false);
  });
});
