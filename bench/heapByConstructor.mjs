// Heap self size by constructor between two heap snapshots, per session: node bench/heapByConstructor.mjs before.heapsnapshot after.heapsnapshot <sessions>
import fs from 'node:fs';
function load(file) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const m = snap.snapshot.meta; const f = m.node_fields; const types = m.node_types[0];
  const n = f.length, iType = f.indexOf('type'), iName = f.indexOf('name'), iSize = f.indexOf('self_size');
  const by = new Map(); let total = 0;
  for (let i = 0; i < snap.nodes.length; i += n) {
    const type = types[snap.nodes[i + iType]]; let name = snap.strings[snap.nodes[i + iName]];
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = '(string)';
    else if (type === 'code') name = '(code)';
    else if (type === 'number') name = '(heap number)';
    else if (type === 'array') name = `(array) ${name.slice(0, 40)}`;
    else if (type === 'hidden') name = `(hidden) ${name.slice(0, 40)}`;
    else if (type === 'closure') name = `(closure)`;
    else if (type === 'native') name = `(native) ${name.slice(0, 40)}`;
    else if (type === 'object shape') name = '(object shape)';
    else name = `${name.slice(0, 60)}`;
    const size = snap.nodes[i + iSize]; total += size;
    const e = by.get(name) ?? { count: 0, size: 0 }; e.count++; e.size += size; by.set(name, e);
  }
  return { by, total };
}
const [a, b] = [load(process.argv[2]), load(process.argv[3])];
const sessions = Number(process.argv[4]);
console.log(`heap self size: ${(a.total / 2 ** 20).toFixed(1)} MB → ${(b.total / 2 ** 20).toFixed(1)} MB; per session ${((b.total - a.total) / sessions / 1024).toFixed(1)} KB`);
const rows = [];
for (const [name, e] of b.by) { const o = a.by.get(name) ?? { count: 0, size: 0 }; rows.push({ name, dCount: e.count - o.count, dSize: e.size - o.size }); }
rows.sort((x, y) => y.dSize - x.dSize);
console.log('| constructor | objects per session | bytes per session |');
console.log('| --- | --- | --- |');
for (const r of rows.slice(0, 25)) console.log(`| ${r.name.replace(/\|/g, '/')} | ${(r.dCount / sessions).toFixed(1)} | ${Math.round(r.dSize / sessions)} |`);
