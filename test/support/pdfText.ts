/**
 * The text of a PDF that pdfkit wrote with its standard fonts (WinAnsi, one byte a character): every
 * content stream inflated, each text-showing operator (Tj, TJ) read, one line per operator. Enough to
 * check which figures a report's PDF holds; not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

const WIN_ANSI_EXTRA: Record<number, string> = { 0x95: '•', 0x96: '–', 0x97: '—', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x85: '…', 0x80: '€' };

function decodeHex(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_EXTRA[code] ?? String.fromCharCode(code);
  }
  return out;
}

export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const lines: string[] = [];
  const streams = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = streams.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    const dict = raw.slice(raw.lastIndexOf('<<', m.index), m.index);
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = (/FlateDecode/.test(dict) ? inflateSync(bytes) : bytes).toString('latin1');
    } catch {
      continue; // an image or font stream
    }
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decodeHex(h[1])) : [decodeHex(op[2])];
      lines.push(parts.join(''));
    }
    streams.lastIndex = end;
  }
  return lines.join('\n');
}
