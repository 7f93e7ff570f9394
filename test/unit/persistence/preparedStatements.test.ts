import assert from 'node:assert/strict';
import { numberedPlaceholders, parameterisable, retryInlined, StatementNames } from '../../../persistence/preparedStatements.js';

describe('prepared statements for Sql', () => {
  it('numbers the ? placeholders in order, keeps an escaped \\? as a literal and inlines texts with ?? identifiers', () => {
    assert.equal(numberedPlaceholders('SELECT ? AS a, x FROM t WHERE y = ? AND z = ?::jsonb'), 'SELECT $1 AS a, x FROM t WHERE y = $2 AND z = $3::jsonb');
    assert.equal(numberedPlaceholders('?'), '$1');
    assert.equal(numberedPlaceholders("SELECT payload \\? 'city' FROM t WHERE id = ?"), "SELECT payload ? 'city' FROM t WHERE id = $1");
    assert.equal(numberedPlaceholders('SELECT 1'), 'SELECT 1');
    assert.equal(numberedPlaceholders('SELECT ?? FROM t'), null);
  });

  it('keeps arrays (an IN list once inlined) and undefined values on the inlined path', () => {
    assert.equal(parameterisable(['a', 1, null, true, new Date(0), { a: 1 }]), true);
    assert.equal(parameterisable([['a', 'b']]), false);
    assert.equal(parameterisable([undefined]), false);
    assert.equal(parameterisable([]), false, 'a statement without parameters runs as a simple query (it may hold several commands)');
  });

  it('retries inlined only for the errors an untyped parameter causes', () => {
    for (const code of ['42P18', '42P08', '42725', '42883', '0A000']) assert.equal(retryInlined({ code }), true, code);
    assert.equal(retryInlined({ code: '42601', message: 'cannot insert multiple commands into a prepared statement' }), true);
    for (const code of ['23505', '57P01', '22P02', '42601', undefined])
      assert.equal(retryInlined({ code, message: 'syntax error at or near "x"' }), false, String(code));
    assert.equal(retryInlined(null), false);
  });

  it('names each distinct text once, never reuses a name, and stops naming past its bound', () => {
    const names = new StatementNames(3);
    const a = names.prepared('SELECT ?');
    assert.deepEqual(a, { name: 'ds_1', text: 'SELECT $1' });
    assert.equal(names.prepared('SELECT ?'), a);
    assert.equal(names.prepared('SELECT ?, ?')?.name, 'ds_2');
    assert.equal(names.markInlineOnly('SELECT ?'), true);
    assert.equal(names.markInlineOnly('SELECT ?'), false, 'told once');
    assert.equal(names.prepared('SELECT ?'), null, 'inline-only from now on');
    assert.equal(names.prepared('SELECT 3, ?')?.name, 'ds_3', 'a freed slot does not give a name back');
    assert.equal(names.prepared('SELECT 4, ?'), null, 'the bound counts names issued');
    assert.equal(names.prepared('SELECT ??'), null);
  });
});
