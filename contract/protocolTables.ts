/**
 * The message tables of docs/PROTOCOL.md, generated from the registry: per room and direction, each
 * message type with its generated type name, its top-level fields (from the same JSON Schema the
 * clients' types come from) and the registry's summary. `npm run codegen` rewrites the text between
 * the markers; the rest of the page (flows: sign-in, resume, offline, errors) is prose kept by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { jsonSchemaOf } from './documents.js';
import { ROOM_MESSAGES, type RoomMessage } from './registry.js';
import { nameNested } from './types.js';

type Json = Record<string, unknown>;

export const PROTOCOL_FILE = 'docs/PROTOCOL.md';
const BEGIN = (id: string) => `<!-- generated:${id} (npm run codegen from contract/registry.ts; do not edit) -->`;
const END = (id: string) => `<!-- /generated:${id} -->`;

/** A JSON Schema node as a short type: `string`, `HapticEvent[]`, `"left" \| "right"`, `number \| null`. */
export function shortType(node: Json, depth = 0): string {
  if (typeof node.title === 'string' && depth > 0) return node.title;
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if ('const' in node) return JSON.stringify(node.const);
  const union = (node.anyOf ?? node.oneOf) as Json[] | undefined;
  if (union) return union.map((n) => shortType(n, depth + 1)).join(' \\| ');
  if (node.type === 'array') {
    const item = shortType((node.items ?? {}) as Json, depth + 1);
    return item.includes('|') ? `(${item})[]` : `${item}[]`;
  }
  if (node.type === 'object' && node.properties && depth > 0) return '{ … }';
  if (node.type === 'object' && node.additionalProperties && depth > 0) return 'map';
  if (node.type === 'integer') return 'int';
  if (Array.isArray(node.type)) return node.type.map((t) => (t === 'integer' ? 'int' : String(t))).join(' \\| ');
  if (typeof node.type === 'string') return node.type;
  return 'any';
}

/** The payload's fields, `name?: type` for optional ones, or its type when it is not an object. */
export function fieldSummary(schema: Json): string {
  const props = schema.properties as Record<string, Json> | undefined;
  if (!props) return Object.keys(schema).length <= 1 ? '—' : `\`${shortType({ ...schema, title: undefined })}\``;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const fields = Object.entries(props).map(([name, node]) => `${name}${required.has(name) ? '' : '?'}: ${shortType(node, 1)}`);
  return fields.length ? `\`{ ${fields.join(', ')} }\`` : '`{}`';
}

function table(messages: RoomMessage[]): string {
  const rows = messages.map((m) => {
    // Nested objects named as in the generated types (WelcomeMessage.lastStation → WelcomeMessageLastStation).
    const schema = nameNested(jsonSchemaOf(m.schema, m.direction === 'send' ? 'input' : 'output'), m.title);
    return `| \`${m.type}\` | \`${m.title}\` | ${fieldSummary(schema)} | ${m.summary.replace(/\|/g, '\\|')} |`;
  });
  return ['| type | generated type | payload | when |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** JSON on one line when it fits in `width`, else broken at the outer brackets, each part again as short as fits. */
export function compactJson(value: unknown, width = 120, indent = '', prefix = 0): string {
  const line = JSON.stringify(value);
  if (prefix + indent.length + line.length <= width || value === null || typeof value !== 'object') return line;
  const inner = `${indent}  `;
  const parts = Array.isArray(value)
    ? value.map((v) => inner + compactJson(v, width, inner))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, width, inner, k.length + 4)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${parts.join(',\n')}\n${indent}${close}`;
}

/** Each client message's example from its row, as a block the examples test validates against the generated JSON Schema. */
function examples(messages: RoomMessage[]): string {
  return messages.map((m) => `\`\`\`json contract:${m.title}\n${compactJson(m.example)}\n\`\`\``).join('\n\n');
}

/** The generated blocks, by marker id. */
export function protocolTables(): Record<string, string> {
  const of = (room: RoomMessage['room'], direction: RoomMessage['direction']) =>
    table(ROOM_MESSAGES.filter((m) => m.room === room && m.direction === direction));
  return {
    'session-receive': of('session', 'receive'),
    'session-send': of('session', 'send'),
    'session-send-examples': examples(ROOM_MESSAGES.filter((m) => m.room === 'session' && m.direction === 'send')),
    'coliseum-receive': of('coliseum', 'receive'),
  };
}

/** `markdown` with every generated block replaced by its current text; a missing marker is an error. */
export function spliceProtocol(markdown: string): string {
  let out = markdown;
  for (const [id, text] of Object.entries(protocolTables())) {
    const start = out.indexOf(BEGIN(id));
    const end = out.indexOf(END(id));
    if (start < 0 || end < start) throw new Error(`${PROTOCOL_FILE}: markers for "${id}" are missing (${BEGIN(id)} … ${END(id)})`);
    out = `${out.slice(0, start + BEGIN(id).length)}\n${text}\n${out.slice(end)}`;
  }
  return out;
}

/** The page with its tables brought up to date (for REFERENCE_FILES: the staleness check compares with the file). */
export function renderProtocol(root: string): string {
  return spliceProtocol(fs.readFileSync(path.join(root, PROTOCOL_FILE), 'utf8'));
}
