import assert from 'node:assert/strict';
import type { EntityMetadata } from '@mikro-orm/core';
import { useTestDatabase } from '../../support/db.js';
import { entities } from '../../../persistence/entities/index.js';
import type { Orm } from '../../../persistence/orm.js';
import type { Sql } from '../../../persistence/db.js';

interface Column {
  type: string;
  nullable: boolean;
  primary: boolean;
}

/** MikroORM's names for a column type → the names information_schema uses. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  bool: 'boolean',
  timestamptz: 'timestamp with time zone',
  float8: 'double precision',
};

function normaliseEntityType(type: string): string {
  const t = type.toLowerCase().replace(/\s+/g, ' ');
  const varchar = /^varchar\((\d+)\)$/.exec(t);
  return varchar ? `character varying(${varchar[1]})` : (ALIASES[t] ?? t);
}

/** The columns an entity maps, as the migrations should have created them. */
function entityColumns(meta: EntityMetadata): Map<string, Column> {
  const columns = new Map<string, Column>();
  for (const prop of meta.props) {
    if (prop.persist === false || !prop.fieldNames?.length) continue;
    prop.fieldNames.forEach((field, i) => {
      columns.set(field, { type: normaliseEntityType(prop.columnTypes[i]), nullable: prop.nullable === true, primary: prop.primary === true });
    });
  }
  return columns;
}

/** The live table's columns from information_schema (type spelled like format_type, e.g. numeric(4,1), text[]). */
async function tableColumns(sql: Sql, table: string): Promise<Map<string, Column>> {
  const rows = await sql.query<{
    column_name: string;
    data_type: string;
    udt_name: string;
    numeric_precision: number | null;
    numeric_scale: number | null;
    character_maximum_length: number | null;
    is_nullable: string;
    primary: boolean;
  }>(
    `SELECT c.column_name, c.data_type, c.udt_name, c.numeric_precision, c.numeric_scale, c.character_maximum_length, c.is_nullable,
            EXISTS (SELECT 1 FROM information_schema.table_constraints tc
                      JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
                     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS primary
       FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND c.table_name = ?
      ORDER BY c.ordinal_position`,
    [table],
  );
  const typeOf = (r: (typeof rows)[number]): string => {
    if (r.data_type === 'ARRAY') return `${r.udt_name.replace(/^_/, '')}[]`;
    if (r.data_type === 'numeric' && r.numeric_precision !== null) return `numeric(${r.numeric_precision},${r.numeric_scale ?? 0})`;
    if (r.data_type === 'character varying' && r.character_maximum_length !== null) return `character varying(${r.character_maximum_length})`;
    return r.data_type;
  };
  return new Map(rows.map((r) => [r.column_name, { type: typeOf(r), nullable: r.is_nullable === 'YES', primary: r.primary }]));
}

/** Every difference between the registered entities and the live tables, one line each (empty = in step). */
async function columnDrift(orm: Orm, sql: Sql): Promise<string[]> {
  const drift: string[] = [];
  for (const meta of orm.getMetadata().getAll().values()) {
    if (!meta.tableName || meta.embeddable || meta.virtual) continue;
    const mapped = entityColumns(meta);
    const live = await tableColumns(sql, meta.tableName);
    if (live.size === 0) {
      drift.push(`${meta.className}: table ${meta.tableName} does not exist`);
      continue;
    }
    for (const [name, want] of mapped) {
      const have = live.get(name);
      if (!have) drift.push(`${meta.tableName}.${name}: mapped by ${meta.className} but not in the table`);
      else if (JSON.stringify(have) !== JSON.stringify(want))
        drift.push(`${meta.tableName}.${name}: entity ${JSON.stringify(want)}, table ${JSON.stringify(have)}`);
    }
    for (const name of live.keys()) if (!mapped.has(name)) drift.push(`${meta.tableName}.${name}: in the table but not mapped by ${meta.className}`);
  }
  return drift;
}

/** Entities and migrations must describe the same columns: a property or a migration changed alone fails here. */
describe('entities match the migrated tables (information_schema)', function () {
  this.timeout(30_000);
  const database = useTestDatabase();

  it('every registered entity maps exactly its table: column names, types, nullability, primary key', async () => {
    const { orm, sql } = database();
    assert.equal(orm.getMetadata().getAll().size >= entities.length, true);
    assert.deepEqual(await columnDrift(orm, sql), []);
  });

  it('reports a column the migrations added, changed or dropped without the entity (checked inside a rolled-back transaction)', async () => {
    const { orm, sql } = database();
    const rollback = new Error('rollback');
    const drift = await sql
      .transaction(async (tx) => {
        await tx.query('ALTER TABLE sessions ADD COLUMN resumed_count integer NOT NULL DEFAULT 0');
        await tx.query('ALTER TABLE users ALTER COLUMN city SET NOT NULL');
        await tx.query('ALTER TABLE artists ALTER COLUMN era TYPE varchar(40)');
        await tx.query('ALTER TABLE devices DROP COLUMN device_model');
        const found = await columnDrift(orm, tx);
        throw Object.assign(rollback, { found });
      })
      .catch((err: unknown) => (err === rollback ? (rollback as Error & { found: string[] }).found : Promise.reject(err)));
    assert.deepEqual(drift.sort(), [
      'artists.era: entity {"type":"text","nullable":false,"primary":false}, table {"type":"character varying(40)","nullable":false,"primary":false}',
      'devices.device_model: mapped by Device but not in the table',
      'sessions.resumed_count: in the table but not mapped by Session',
      'users.city: entity {"type":"text","nullable":true,"primary":false}, table {"type":"text","nullable":false,"primary":false}',
    ]);
    assert.deepEqual(await columnDrift(orm, sql), [], 'the rollback left the tables as migrated');
  });
});
