import assert from 'node:assert/strict';
import { entryConfig } from '../../fleet/entry.js';

/** The fleet's entry is the deployed template widened to N room hosts: no root or nginx needed to check its shape. */
describe('fleet entry config (deploy/nginx template for N room hosts)', () => {
  const hosts = ['a', 'b', 'c', 'd'].map((letter, i) => ({ letter, upstream: `10.231.0.${21 + i}:2567` }));

  it('lists every host in the shared upstream, again as a never-failed backup, and gives each its own prefix', () => {
    const conf = entryConfig(hosts, '/tmp/tls');
    const upstream = /upstream deepstream_any \{([^}]*)\}/.exec(conf)?.[1] ?? '';
    const servers = [...upstream.matchAll(/^\s*server (\S+)([^;]*);/gm)];
    assert.deepEqual(
      servers.filter((m) => !m[2].includes('backup')).map((m) => m[1]),
      hosts.map((h) => h.upstream),
    );
    assert.deepEqual(
      servers.filter((m) => m[2].includes('backup')).map((m) => m[1]),
      hosts.map((h) => h.upstream),
    );
    for (const m of servers) assert.match(m[2], m[2].includes('backup') ? /max_fails=0/ : /max_fails=1 fail_timeout=2s/, m[0]);
    assert.match(conf, /proxy_next_upstream error timeout http_502 http_503 non_idempotent;/);
    for (const h of hosts) assert.match(conf, new RegExp(`location /${h.letter}/ \\{ proxy_pass http://${h.upstream.replaceAll('.', '\\.')}/; \\}`));
    assert.ok(conf.indexOf('location /d/') < conf.indexOf('location /   {'), 'host prefixes come before the catch-all');
  });

  it('keeps the template for two hosts as it is; one host stands in for both (the one-process baseline); none is refused', () => {
    const two = entryConfig(hosts.slice(0, 2), '/tmp/tls');
    assert.equal([...two.matchAll(/location \/[a-z]\//g)].length, 2);
    const one = entryConfig(hosts.slice(0, 1), '/tmp/tls');
    const upstream = /upstream deepstream_any \{([^}]*)\}/.exec(one)?.[1] ?? '';
    assert.deepEqual(new Set([...upstream.matchAll(/^\s*server (\S+)/gm)].map((m) => m[1])), new Set([hosts[0]!.upstream]));
    assert.throws(() => entryConfig([], '/tmp/tls'), /at least one room host/);
  });
});
