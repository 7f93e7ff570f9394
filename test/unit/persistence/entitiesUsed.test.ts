import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { entities } from '../../../persistence/entities/index.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Server code that may use entities (not the entity definitions themselves, not migrations). */
const SERVER_DIRS = ['persistence', 'features', 'src', 'rooms'];

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return d.name === 'entities' || d.name === 'migrations' ? [] : sources(full);
    return d.name.endsWith('.ts') ? [full] : [];
  });
}

/** "No entity that nothing uses" (docs/DEVELOPMENT.md, Persistence: ORM or SQL): each registered entity is imported by server code and passed to the EntityManager. */
describe('every registered entity is used through the EntityManager by server code', () => {
  const files = SERVER_DIRS.flatMap((d) => sources(path.join(ROOT, d))).map((file) => ({
    file: path.relative(ROOT, file),
    text: fs.readFileSync(file, 'utf8'),
  }));

  for (const entity of entities) {
    const name = entity.name;
    it(name, () => {
      const importRe = new RegExp(`import \\{[^}]*\\b${name}\\b[^}]*\\} from '[./]*entities/[a-z]+\\.js'`);
      const useRe = new RegExp(
        `\\.(find|findOne|count|insert|insertMany|nativeUpdate|nativeDelete|create|getReference|upsert|upsertMany|createQueryBuilder)\\(\\s*${name}\\b`,
      );
      const users = files.filter((f) => importRe.test(f.text) && useRe.test(f.text)).map((f) => f.file);
      assert.ok(
        users.length > 0,
        `${name} is registered in persistence/entities/index.ts but no server code passes it to the EntityManager: use it, or delete the entity`,
      );
    });
  }
});
