// Which objects own the out-of-object property stores ("(object properties)" arrays) added between two heap
// snapshots, per session, by the owner's constructor: a large store is an object in dictionary mode.
//   node bench/heapPropertyOwners.mjs before.heapsnapshot after.heapsnapshot <sessions>
import fs from 'node:fs';
function owners(file) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const { node_fields: nf, edge_fields: ef, node_types: [nt] } = snap.snapshot.meta;
  const [N, E] = [nf.length, ef.length];
  const [iType, iName, iSize, iEdges] = ['type', 'name', 'self_size', 'edge_count'].map((f) => nf.indexOf(f));
  const eTo = ef.indexOf('to_node');
  const { nodes, edges, strings } = snap;
  const by = new Map();
  for (let i = 0, e = 0; i < nodes.length; i += N) {
    for (let k = 0; k < nodes[i + iEdges]; k++, e += E) {
      const to = edges[e + eTo];
      if (nt[nodes[to + iType]] !== 'array' || strings[nodes[to + iName]] !== '(object properties)') continue;
      const key = `${nt[nodes[i + iType]]} ${strings[nodes[i + iName]].slice(0, 50)}`;
      const r = by.get(key) ?? { count: 0, size: 0 };
      r.count++;
      r.size += nodes[to + iSize];
      by.set(key, r);
    }
  }
  return by;
}
const [a, b] = [owners(process.argv[2]), owners(process.argv[3])];
const sessions = Number(process.argv[4]);
console.log('| owner | stores per session | bytes per session | bytes per store |');
console.log('| --- | --- | --- | --- |');
const rows = [...b].map(([k, r]) => ({ k, count: r.count - (a.get(k)?.count ?? 0), size: r.size - (a.get(k)?.size ?? 0) })).filter((r) => r.size / sessions >= 20);
for (const r of rows.sort((x, y) => y.size - x.size)) console.log(`| ${r.k} | ${(r.count / sessions).toFixed(1)} | ${Math.round(r.size / sessions)} | ${r.count ? Math.round(r.size / r.count) : '-'} |`);
