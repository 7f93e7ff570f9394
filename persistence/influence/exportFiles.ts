/** A provider's export as records: one JSON document or JSON lines, streamed one line at a time. */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/** Files up to this size are first tried as one JSON document; larger ones are JSON lines. */
export const WHOLE_DOCUMENT_MAX_BYTES = 64 * 1024 * 1024;
/** A longer line is refused (no artist record comes near it). */
export const MAX_LINE_CHARS = 16 * 1024 * 1024;

/** One record of the file: its value, or why it could not be read; `line` is 1-based (0: the whole document). */
export type ExportRecord = { line: number; value: unknown } | { line: number; error: string };

export async function* readExportRecords(path: string): AsyncGenerator<ExportRecord> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  if (info.size <= WHOLE_DOCUMENT_MAX_BYTES) {
    const text = await readFile(path, 'utf8');
    const whole = tryParse(text);
    if (whole.ok) {
      if (Array.isArray(whole.value)) for (const [i, value] of whole.value.entries()) yield { line: i + 1, value };
      else yield { line: 0, value: whole.value };
      return;
    }
    if (!text.includes('\n')) {
      yield { line: 1, error: whole.error };
      return;
    }
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    if (raw.length > MAX_LINE_CHARS) yield { line: n, error: `line longer than ${MAX_LINE_CHARS} characters` };
    else {
      const parsed = tryParse(raw);
      yield parsed.ok ? { line: n, value: parsed.value } : { line: n, error: parsed.error };
    }
  }
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message.slice(0, 120)}` };
  }
}
