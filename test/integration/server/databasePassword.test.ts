import assert from 'node:assert/strict';
import pg from 'pg';
import { loadConfig } from '../../../src/config/config.js';
import { ConfigError } from '../../../src/errors.js';
import { createOrm } from '../../../persistence/orm.js';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/postgres.js';

/** Every character that breaks a password pasted into a URL, and a few that need encoding anyway. */
const SECRET = 'p@ss:w/o#r%d?x&y=z+ é\'"';

async function currentUser(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query('SELECT current_user AS who')).rows[0].who;
  } finally {
    await client.end();
  }
}

/** docker-compose.yml passes POSTGRES_PASSWORD as DATABASE_PASSWORD beside a DATABASE_URL without one. */
describe('DATABASE_PASSWORD: a password with @ : / # % reaches Postgres intact', function () {
  this.timeout(60_000);
  let cluster: PrivatePostgres;
  let bare: string;

  before(async () => {
    // A cluster of its own: its password authentication is real (the shared test Postgres trusts loopback).
    cluster = await startPrivatePostgres();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`ALTER ROLE postgres PASSWORD '${SECRET.replace(/'/g, "''")}'`);
    await admin.end();
    bare = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
  });

  after(async () => cluster?.destroy());

  it('signs in with pg and with the ORM through the URL the config builds', async () => {
    const url = loadConfig({ DATABASE_URL: bare, DATABASE_PASSWORD: SECRET }).databaseUrl!;
    assert.equal(decodeURIComponent(new URL(url).password), SECRET);
    assert.equal(new URL(url).host, `127.0.0.1:${cluster.port}`, 'the host survives the @ and : of the password');
    assert.equal(new URL(url).pathname, '/postgres', 'the database survives the / and # of the password');
    assert.equal(await currentUser(url), 'postgres');
    const orm = await createOrm({ url, poolMax: 1 });
    try {
      assert.deepEqual(await orm.em.getConnection().execute('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await orm.close();
    }
  });

  it('the same password pasted raw into DATABASE_URL does not work (why the separate variable)', async () => {
    const pasted = `postgres://postgres:${SECRET}@127.0.0.1:${cluster.port}/postgres`;
    await assert.rejects(() => currentUser(pasted));
  });

  it('Postgres checks the password here: a wrong one is refused', async () => {
    const url = loadConfig({ DATABASE_URL: bare, DATABASE_PASSWORD: `${SECRET}-wrong` }).databaseUrl!;
    await assert.rejects(() => currentUser(url), /password authentication failed/);
  });

  it('refuses a password in both places, or DATABASE_PASSWORD without DATABASE_URL', () => {
    const refused = (env: Record<string, string>, variable: string, hint: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && err.variable === variable && hint.test(err.message),
      );
    refused({ DATABASE_URL: 'postgres://u:inline@h:5432/db', DATABASE_PASSWORD: 'other' }, 'DATABASE_PASSWORD', /holds a password too/);
    refused({ DATABASE_PASSWORD: 'lonely' }, 'DATABASE_PASSWORD', /DATABASE_URL is not/);
    refused({ DATABASE_URL: 'postgres://h:5432/db', DATABASE_PASSWORD: 'x' }, 'DATABASE_URL', /names no user/);
    assert.equal(
      loadConfig({ DATABASE_URL: 'postgres://u:inline@h:5432/db' }).databaseUrl,
      'postgres://u:inline@h:5432/db',
      'a URL with its own password is kept as is',
    );
  });
});
