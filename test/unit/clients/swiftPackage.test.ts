/**
 * The Swift package (clients/swift/DeepStreamRealtime), read, not compiled: there is no Swift toolchain on
 * this machine or in CI. What can be held without one is held here: the manifest's dependency on
 * colyseus-swift, one declaration per type name in the module, docs/PROTOCOL.md linking the example
 * files, and every generated name the examples use (types, members, initialiser labels,
 * enum cases) existing in the generated sources. A rename in the contract fails this test instead of
 * an iOS developer's build.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../scripts/codegen.js';

const PACKAGE = path.join(ROOT, 'clients/swift/DeepStreamRealtime');
const MODULE = path.join(PACKAGE, 'Sources/DeepStreamRealtime');
const EXAMPLES = path.join(PACKAGE, 'Sources/DeepStreamRealtimeExamples');

/** Platform and SDK names the examples may use without the module declaring them. */
const PLATFORM = new Set(['Colyseus', 'Subscription', 'MessagePackValue', 'MainActor', 'String', 'Int', 'Double', 'Bool', 'URL', 'URLRequest', 'URLSession', 'HTTPURLResponse', 'JSONEncoder', 'JSONDecoder', 'UserDefaults', 'UUID', 'Error', 'Data', 'Foundation', 'DeepStreamRealtime', 'Task', 'UInt64', 'URLError', 'Self']);

interface SwiftType {
  kind: string;
  /** Member name → its type as written (`[HapticEvent]`, `NextMilestone?`). */
  members: Map<string, string>;
  /** Labels of each `public init(…)`. */
  inits: string[][];
  cases: Set<string>;
}

function walkSwift(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkSwift(path.join(dir, e.name)) : e.name.endsWith('.swift') ? [path.join(dir, e.name)] : []));
}

/** Top-level declarations of Swift sources: name → kind, members, initialisers, enum cases. */
export function declarations(sources: string[]): { types: Map<string, SwiftType>; duplicates: string[] } {
  const types = new Map<string, SwiftType>();
  const duplicates: string[] = [];
  for (const source of sources) {
    for (const m of source.matchAll(/^public (?:final )?(struct|class|enum|typealias|protocol) (\w+)([^\n]*)$/gm)) {
      const [, kind, name] = m;
      if (types.has(name!)) duplicates.push(name!);
      const start = m.index! + m[0].length;
      const end = kind === 'typealias' ? start : source.indexOf('\n}', start);
      const body = source.slice(start, end);
      types.set(name!, {
        kind: kind!,
        members: new Map([...body.matchAll(/^ {4}public (?:let|var) (\w+): ([^{=\n]+?)\s*(?:\{|=|$)/gm)].map((x) => [x[1]!, x[2]!.trim()])),
        inits: [...body.matchAll(/^ {4}public init\(([^)]*)\)/gm)].map((x) => (x[1]!.trim() ? x[1]!.split(',').map((p) => p.trim().split(':')[0]!.trim()) : [])),
        cases: new Set([...body.matchAll(/^ {4}case (\w+)/gm)].map((x) => x[1]!)),
      });
    }
  }
  return { types, duplicates };
}

/** The code without comments and without the text of string literals; `\(…)` interpolations are kept (they are code). */
export function strip(code: string): string {
  let out = '';
  let i = 0;
  const literal = (): void => {
    i++; // the opening quote
    out += '"';
    while (i < code.length && code[i] !== '"') {
      if (code[i] === '\\' && code[i + 1] === '(') {
        out += '\\(';
        i += 2;
        interpolation();
      } else i += code[i] === '\\' ? 2 : 1;
    }
    out += '"';
    i++;
  };
  const interpolation = (): void => {
    for (let depth = 1; i < code.length && depth > 0; ) {
      const c = code[i]!;
      if (c === '"') {
        literal();
        continue;
      }
      if (c === '(') depth++;
      if (c === ')') depth--;
      out += c;
      i++;
    }
  };
  while (i < code.length) {
    if (code[i] === '"') literal();
    else if (code.startsWith('//', i)) i = code.indexOf('\n', i) === -1 ? code.length : code.indexOf('\n', i);
    else out += code[i++];
  }
  return out;
}
const baseType = (written: string) => written.replace(/[[\]?!]/g, '').trim();

/** Generated names an example uses that the module does not declare, as readable lines. */
export function unknownNames(example: string, types: Map<string, SwiftType>): string[] {
  const code = strip(example).replace(/\bColyseus\.\w+/g, 'Colyseus');
  const problems: string[] = [];
  const own = new Set([...code.matchAll(/\b(?:struct|class|enum|func|case) (\w+)/g)].map((m) => m[1]!));
  for (const [, name] of code.matchAll(/\b([A-Z]\w*)\b/g)) if (!types.has(name!) && !PLATFORM.has(name!) && !own.has(name!)) problems.push(`type ${name} is not declared`);
  // Variables whose type the example states: `as: T.self) { v in`, `v: T` parameters and annotations.
  const typed = new Map<string, string>();
  for (const m of code.matchAll(/as: (\w+)\.self\) \{ (?:\[[^\]]*\] )?(\w+) in/g)) typed.set(m[2]!, m[1]!);
  for (const m of code.matchAll(/\b(\w+): (\w+)\??[,)=\s]/g)) if (types.has(m[2]!) && /^[a-z]/.test(m[1]!)) typed.set(m[1]!, m[2]!);
  for (const m of code.matchAll(/guard let (\w+) = [\w?.]*\.(\w+)\b/g)) if (types.has(m[2]!.replace(/^./, (c) => c.toUpperCase()) + 'State')) typed.set(m[1]!, m[2]!.replace(/^./, (c) => c.toUpperCase()) + 'State');
  for (const [variable, type] of typed) {
    for (const m of code.matchAll(new RegExp(`\\b${variable}\\??((?:\\.\\w+\\??)+)`, 'g'))) {
      let current = type;
      for (const member of m[1]!.split('.').filter(Boolean).map((s) => s.replace('?', ''))) {
        const decl = types.get(current);
        if (!decl || decl.kind === 'typealias') break;
        if (decl.kind === 'enum' && member === 'rawValue') break;
        const memberType = decl.members.get(member);
        if (!memberType) {
          if (!['map', 'count'].includes(member)) problems.push(`${current} has no member ${member} (${variable}${m[1]})`);
          break;
        }
        current = baseType(memberType);
      }
    }
  }
  // Initialisers of generated types: the labels, in order.
  for (const m of code.matchAll(/\b([A-Z]\w*)\(((?:[^()]|\([^()]*\))*)\)/g)) {
    const decl = types.get(m[1]!);
    if (!decl || decl.kind === 'typealias' || decl.inits.length === 0) continue;
    const labels = [...m[2]!.matchAll(/(?:^|,)\s*(\w+):/g)].map((x) => x[1]!);
    if (!decl.inits.some((init) => init.join(',') === labels.join(','))) problems.push(`${m[1]}(${labels.map((l) => `${l}:`).join('')}) matches no initialiser: ${decl.inits.map((i) => `(${i.join(', ')})`).join(' or ')}`);
  }
  // Enum cases written as `.caseName` where a generated enum has a case of that spelling prefix.
  for (const m of code.matchAll(/[?:(\s]\.(\w+)\b/g)) {
    const name = m[1]!;
    const enums = [...types.values()].filter((t) => t.kind === 'enum');
    if (/^(direction|session|coliseum)/.test(name) && !enums.some((t) => t.cases.has(name))) problems.push(`no generated enum has a case ${name}`);
  }
  return problems;
}

describe('clients/swift: the DeepStreamRealtime Swift package (no Swift compiler here: read, not built)', () => {
  const moduleSources = walkSwift(MODULE).map((f) => fs.readFileSync(f, 'utf8'));
  const { types, duplicates } = declarations(moduleSources);
  const examples = walkSwift(EXAMPLES).map((f) => ({ file: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') }));

  it('Package.swift depends on colyseus-swift (product Colyseus, 0.18.6+) and builds the module from the generated sources', () => {
    const manifest = fs.readFileSync(path.join(PACKAGE, 'Package.swift'), 'utf8');
    assert.match(manifest, /^\/\/ swift-tools-version: 6\.0$/m, 'colyseus-swift 0.18.6 needs tools 6.0');
    assert.match(manifest, /\.package\(url: "https:\/\/github\.com\/colyseus\/colyseus-swift", from: "0\.18\.6"\)/);
    assert.match(manifest, /\.product\(name: "Colyseus", package: "colyseus-swift"\)/);
    assert.match(manifest, /\.iOS\(\.v15\)/);
    assert.match(manifest, /\.library\(name: "DeepStreamRealtime", targets: \["DeepStreamRealtime"\]\)/);
    for (const m of manifest.matchAll(/path: "([^"]+)"/g)) assert.ok(fs.existsSync(path.join(PACKAGE, m[1]!)), `target path ${m[1]}`);
  });

  it('one declaration per type name in the module, with stable contract names (no quicktype Purple/Fluffy/…Class)', () => {
    assert.deepEqual(duplicates, [], 'two files of the module declare the same type');
    for (const name of ['SessionState', 'DialState', 'WelcomeMessage', 'JournalMessage', 'SearchMessage', 'RecommendedArtist', 'Vec3', 'DeepStreamWire']) assert.ok(types.has(name), name);
    const leaked = [...types.keys()].filter((n) => /^(Purple|Fluffy|Tentacled|Sticky|Indigo|Indecent|Hilarious|Ambitious|Cunning|Magenta|Frisky|Mischievous|Braggadocious)|Class$/.test(n));
    assert.deepEqual(leaked, []);
    assert.equal(types.get('CapturedMessage')!.members.get('totalStars'), 'Int', 'integer counters are Int');
    assert.equal(types.get('JournalStar')!.members.get('order'), 'Int');
  });

  it('docs/PROTOCOL.md links every example file (one copy: the file)', () => {
    const protocol = fs.readFileSync(path.join(ROOT, 'docs/PROTOCOL.md'), 'utf8');
    const links = new Set([...protocol.matchAll(/\]\(\.\.\/([^)]+\.swift)\)/g)].map((m) => m[1]!));
    assert.ok(examples.length >= 2);
    for (const ex of examples) assert.ok(links.has(ex.file), `${ex.file} is not linked from docs/PROTOCOL.md`);
    for (const link of links) assert.ok(fs.existsSync(path.join(ROOT, link)), `docs/PROTOCOL.md links ${link}, which does not exist`);
  });

  it('every generated name the examples use exists: types, members, initialiser labels, enum cases', () => {
    const problems = examples.flatMap((ex) => unknownNames(ex.text, types).map((p) => `${ex.file}: ${p}`));
    assert.deepEqual(problems, []);
  });

  it("SessionResume.swift retries a draining process's refusal as the TypeScript client does: promptly, as many times, then backoff", () => {
    const ts = fs.readFileSync(path.join(ROOT, 'clients/ts/src/SessionLink.ts'), 'utf8');
    const swift = strip(examples.find((e) => e.file.endsWith('SessionResume.swift'))!.text);
    const tsNumber = (name: string) => Number(ts.match(new RegExp(`const ${name} = ([\\d_]+);`))![1]!.replace(/_/g, ''));
    const swiftNumber = (name: string) => Number(swift.match(new RegExp(`static let ${name} = ([\\d_]+)`))?.[1]?.replace(/_/g, ''));
    assert.equal(swiftNumber('promptRetries'), tsNumber('PROMPT_RETRIES'));
    assert.equal(swiftNumber('promptRetryMaxMs'), tsNumber('PROMPT_RETRY_MAX_MS'));
    // Prompt after SHUTTING_DOWN, and after a network failure while moving; bounded by the count of failed tries, a
    // RESUME_BUSY wait (its hint) not counted as one.
    assert.ok(swift.includes('let prompt = text.contains("") || (movingRetryAfterMs != nil && error is URLError)'), 'the prompt condition');
    assert.match(fs.readFileSync(path.join(EXAMPLES, 'SessionResume.swift'), 'utf8'), /text\.contains\("SHUTTING_DOWN"\)/);
    assert.ok(swift.includes('prompt && failures <= Self.promptRetries ? min(backoffMs, Self.promptRetryMaxMs) : backoffMs'), 'the bounded prompt wait');
    assert.ok(swift.includes('if hint == nil { failures += 1 }'), 'a RESUME_BUSY wait is not a failed try');
  });

  it('a renamed type, member or label is caught (the check can fail)', () => {
    const connection = examples.find((e) => e.file.endsWith('SessionConnection.swift'))!.text;
    assert.ok(unknownNames(connection.replace('as: WelcomeMessage.self', 'as: WelcomeMsg.self'), types).some((p) => p.includes('WelcomeMsg')));
    assert.ok(unknownNames(connection.replace('welcome.sessionId', 'welcome.sessionID'), types).some((p) => p.includes('sessionID')));
    assert.ok(unknownNames(connection.replace('captured.star.artistName', 'captured.star.name'), types).some((p) => p.includes('CapturedStar has no member name')));
    assert.ok(unknownNames(connection.replace('SearchRequest(limit: 10, q: query', 'SearchRequest(q: query, limit: 10'), types).some((p) => p.includes('matches no initialiser')));
    assert.ok(unknownNames(connection.replace('.directionRight', '.directionRite'), types).some((p) => p.includes('directionRite')));
    assert.ok(unknownNames(connection.replace('dial.settlesAt', 'dial.settleAt'), types).some((p) => p.includes('DialState has no member settleAt')));
  });
});
