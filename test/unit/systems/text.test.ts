import assert from 'node:assert/strict';
import { RESERVED_KEYS, findBadText, findJsonProblem, jsonDepthExceeds, stringProblem } from '../../../systems/text.js';

describe('systems/text: strings that cannot be stored', () => {
  it('accepts ordinary text, emoji (a surrogate pair) and other control characters', () => {
    for (const s of ['', 'Wizkid', 'Fela Kuti — 🎷', 'tab\there', '\u00e9\u4e2d']) assert.equal(stringProblem(s), null, JSON.stringify(s));
  });

  it('names NUL and unpaired surrogates, high or low, anywhere in the string', () => {
    assert.match(stringProblem('a\u0000b')!, /NUL/);
    for (const s of ['\ud800', 'x\ud800', '\ud800x', '\udc00', 'a\udfffb', '🎷\ud83c'])
      assert.match(stringProblem(s)!, /unpaired UTF-16 surrogate/, JSON.stringify(s));
  });

  it('reports the dotted path of the first bad value in objects and arrays', () => {
    const body = { events: [{ payload: { ok: 'fine' } }, { payload: { artistId: 'x\ud800' } }] };
    assert.deepEqual(findBadText(body)?.field, 'events.1.payload.artistId');
    assert.equal(findBadText({ session_id: 'abc\u0000' })?.field, 'session_id');
    assert.equal(findBadText(['ok', ['\udc00']])?.field, '1.0');
  });

  it('checks object keys too, and reports the first problem in document order', () => {
    assert.match(findBadText({ ['k\u0000']: 1 })!.message, /key .*NUL/);
    assert.equal(findBadText({ a: '\u0000', b: '\ud800' })?.field, 'a');
    assert.equal(findBadText({ a: { x: '\u0000' }, b: '\ud800' })?.field, 'a.x');
  });

  it('prefixes paths with a root and names a bare string (body)', () => {
    assert.equal(findBadText({ name: '\u0000' }, 'payload')?.field, 'payload.name');
    assert.equal(findBadText('\ud800')?.field, '(body)');
    assert.equal(findBadText('\ud800', 'message')?.field, 'message');
  });

  it('returns null for clean values and non-string primitives', () => {
    for (const v of [null, 1, true, { a: [1, 'b', { c: null }] }, []]) assert.equal(findBadText(v), null);
  });

  it('walks 100,000-deep values without recursion', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.equal(findBadText(deep)?.field.split('.').length, 100_000);
  });
});

describe('systems/text: reserved keys', () => {
  it('covers the Object.prototype members that break option merging', () => {
    for (const key of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf', 'isPrototypeOf']) assert.ok(RESERVED_KEYS.has(key), key);
  });

  it('finds them at any depth, including __proto__ as JSON.parse creates it', () => {
    assert.equal(findJsonProblem(JSON.parse('{"hasOwnProperty":1}'))?.field, 'hasOwnProperty');
    assert.equal(findJsonProblem(JSON.parse('{"a":[{"__proto__":{"x":1}}]}'))?.field, 'a.0.__proto__');
    assert.match(findJsonProblem({ constructor: 'x' })!.message, /reserved name.*rename/);
  });

  it('lets ordinary keys and reserved words as values through', () => {
    assert.equal(findJsonProblem({ deviceId: 'constructor', proto: 1, list: ['toString'] }), null);
  });
});

describe('systems/text: JSON nesting depth', () => {
  const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);

  it('allows exactly the maximum and refuses one more', () => {
    assert.equal(jsonDepthExceeds(nested(32), 32), false);
    assert.equal(jsonDepthExceeds(nested(33), 32), true);
    assert.equal(jsonDepthExceeds('{"a":{"b":[1,{"c":2}]}}', 4), false);
    assert.equal(jsonDepthExceeds('{"a":{"b":[1,{"c":2}]}}', 3), true);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    assert.equal(jsonDepthExceeds(JSON.stringify({ s: '[[[[[[{{{{{' }), 1), false);
    assert.equal(jsonDepthExceeds(JSON.stringify({ s: 'a\\"[[[[' }), 1), false);
    assert.equal(jsonDepthExceeds(JSON.stringify({ s: 'ends with backslash \\', t: [[1]] }), 2), true);
  });

  it('scans a 5,000-deep, 1 MB body in milliseconds', () => {
    const text = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + ' '.repeat(1_000_000);
    const started = process.hrtime.bigint();
    assert.equal(jsonDepthExceeds(text, 32), true);
    assert.equal(jsonDepthExceeds(' '.repeat(1_000_000) + '[]', 32), false);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 200);
  });
});

describe('systems/text: numbers JSON cannot hold', () => {
  it('names the first number that parsed as ±Infinity, with its path, and passes finite ones', () => {
    assert.equal(findJsonProblem(JSON.parse('{"a":1,"b":[2.5,-1e308,{"c":0}]}')), null);
    assert.equal(findJsonProblem(JSON.parse('{"payload":{"ok":1,"n":1e400}}'))?.field, 'payload.n');
    assert.equal(findJsonProblem(JSON.parse('[1,[-1e999]]'))?.field, '1.0');
    assert.equal(findJsonProblem(JSON.parse('1e400'))?.field, '(body)');
    assert.match(findJsonProblem({ x: Number.NaN }, 'payload')!.message, /finite number/);
  });
});

describe('systems/text: one check of a JSON body', () => {
  it('passes a clean body and reports text, then reserved keys, then numbers', () => {
    assert.equal(findJsonProblem(JSON.parse('{"a":"ok","b":[1,{"c":"é😀"}]}')), null);
    const cases: Array<[string, string]> = [
      ['{"a":"x\\u0000"}', 'p.a'],
      ['{"a":{"constructor":1}}', 'p.a.constructor'],
      ['{"a":[1e400]}', 'p.a.0'],
      ['{"__proto__x":"\\ud800","toString":1e999}', 'p.__proto__x'],
      ['{"toString":1e999}', 'p.toString'],
      ['{"b":1e999,"a":{"valueOf":1}}', 'p.a.valueOf'],
      ['"\\ud800"', 'p'],
      ['1e400', 'p'],
    ];
    for (const [text, field] of cases) assert.equal(findJsonProblem(JSON.parse(text), 'p')?.field, field, text);
  });
});
