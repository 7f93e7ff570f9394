import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// The README's "Layout" table promises that `git ls-files | grep <token>` finds a feature in every layer the
// table ticks and in none it leaves blank. This keeps the promise true as files move.
const root = join(import.meta.dirname, "..", "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const files = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);

interface LayoutTable { layers: string[]; rows: Map<string, boolean[]> }

function layoutTable(): LayoutTable {
  const section = readme.split(/^## /m).find((s) => s.startsWith("Layout"));
  assert.ok(section, 'README has a "## Layout" section');
  const lines = section.split("\n").filter((l) => l.startsWith("| "));
  const cells = (line: string) => line.split("|").slice(1, -1).map((c) => c.trim().replace(/`/g, ""));
  const [header, , ...body] = lines;
  // Layer columns are the headers that name a folder ("src/wire/"); the last column describes the token.
  const headers = cells(header!);
  const layerColumns = headers.map((h, i) => (h.endsWith("/") ? i : -1)).filter((i) => i > 0);
  const layers = layerColumns.map((i) => headers[i]!);
  const rows = new Map(body.map((line) => {
    const row = cells(line);
    return [row[0]!, layerColumns.map((i) => row[i] === "✓")] as const;
  }));
  return { layers, rows };
}

function hasToken(layer: string, token: string): boolean {
  return files.some((f) => f.startsWith(layer) && f.slice(layer.length).toLowerCase().includes(token));
}

describe("README layout table", () => {
  const { layers, rows } = layoutTable();

  it("names the layers as folders that exist", () => {
    assert.ok(layers.length >= 8, `expected at least 8 layer columns, got ${layers.join(", ")}`);
    for (const layer of layers) assert.ok(files.some((f) => f.startsWith(layer)), `no tracked file under ${layer}`);
  });

  it("ticks exactly the layers where git ls-files finds the token", () => {
    const wrong: string[] = [];
    for (const [token, marks] of rows) {
      layers.forEach((layer, i) => {
        const found = hasToken(layer, token);
        if (found !== marks[i]) wrong.push(`${token} in ${layer}: table says ${marks[i] ? "✓" : "—"}, tree says ${found ? "present" : "absent"}`);
      });
    }
    assert.deepEqual(wrong, []);
  });

  it("has a row for every feature folder", () => {
    // Shared infrastructure of one layer, not features: the ORM's entities and the migrations.
    const infrastructure = new Set(["entities", "migrations"]);
    const folders = new Set<string>();
    for (const f of files) {
      const m = /^(features|persistence|systems|rooms)\/([a-z]+)\//.exec(f);
      if (m && !infrastructure.has(m[2]!)) folders.add(m[2]!);
    }
    const missing = [...folders].filter((t) => !rows.has(t));
    assert.deepEqual(missing, [], "feature folders without a row in the README's Layout table");
  });

  it("keeps the README a reference of at most 300 lines", () => {
    const count = readme.split("\n").length;
    assert.ok(count <= 300, `README.md has ${count} lines; move detail into docs/`);
  });
});
