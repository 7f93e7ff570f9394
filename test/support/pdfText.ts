/**
 * The text of a PDF that pdfkit wrote: every content stream inflated, each text-showing operator (Tj, TJ)
 * read, one line per operator. A font with a ToUnicode map (pdfkit's embedded TrueType fonts, two-byte
 * glyph codes) is decoded through it; a standard font is read as WinAnsi, one byte a character. Enough to
 * check which figures a report's PDF holds; not a general PDF reader.
 */
import { inflateSync } from 'node:zlib';

const WIN_ANSI_EXTRA: Record<number, string> = { 0x95: '•', 0x96: '–', 0x97: '—', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x85: '…', 0x80: '€' };

function decodeWinAnsi(hex: string): string {
  let out = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    out += WIN_ANSI_EXTRA[code] ?? String.fromCharCode(code);
  }
  return out;
}

/** UTF-16BE hex (spaces allowed) → string. */
function utf16(hex: string): string {
  const h = hex.replace(/\s+/g, '');
  const units: number[] = [];
  for (let i = 0; i + 3 < h.length; i += 4) units.push(parseInt(h.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}

/** A ToUnicode CMap's bfchar and bfrange entries as code → text. */
function parseCmap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const e of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(e[1], 16), utf16(e[2]));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const e of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const lo = parseInt(e[1], 16);
      const hi = parseInt(e[2], 16);
      if (e[3].startsWith('[')) [...e[3].matchAll(/<([0-9a-fA-F\s]*)>/g)].forEach((d, i) => map.set(lo + i, utf16(d[1])));
      else {
        const first = utf16(e[3]);
        for (let c = lo; c <= hi; c++) map.set(c, first.slice(0, -1) + String.fromCharCode(first.charCodeAt(first.length - 1) + c - lo));
      }
    }
  }
  return map;
}

interface Stream {
  dict: string;
  content: string;
}

/** Every stream by object number (inflated where it can be). */
function streamsOf(pdf: Buffer): { byObject: Map<number, Stream>; raw: string } {
  const raw = pdf.toString('latin1');
  const byObject = new Map<number, Stream>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*(<<(?:(?!endobj)[\s\S])*?>>)\s*stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = raw.indexOf('endstream', start);
    const bytes = pdf.subarray(start, end);
    let content: string;
    try {
      content = (/FlateDecode/.test(m[2]) ? inflateSync(bytes) : bytes).toString('latin1');
    } catch {
      continue; // an image or a font file
    }
    byObject.set(Number(m[1]), { dict: m[2], content });
  }
  return { byObject, raw };
}

/** Font resource name (/F1) → its ToUnicode map, for the fonts that have one. */
function fontMaps(raw: string, byObject: Map<number, Stream>): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const ref of raw.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
    const obj = new RegExp(`(?:^|\\n)${ref[2]} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(raw);
    const toUnicode = obj && /\/ToUnicode (\d+) 0 R/.exec(obj[1]);
    const cmap = toUnicode && byObject.get(Number(toUnicode[1]));
    if (cmap) out.set(ref[1], parseCmap(cmap.content));
  }
  return out;
}

/** The text a content stream shows, one line per text operator. */
function textOf(content: string, fonts: Map<string, Map<number, string>>): string[] {
  const lines: string[] = [];
  let cmap: Map<number, string> | undefined;
  for (const op of content.matchAll(/\/(F\d+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    if (op[1] !== undefined) {
      cmap = fonts.get(op[1]);
      continue;
    }
    const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [op[3]];
    const decode = (hex: string) => (cmap ? utf16ViaMap(hex, cmap) : decodeWinAnsi(hex));
    lines.push(hexes.map(decode).join(''));
  }
  return lines;
}

export function pdfText(pdf: Buffer): string {
  const { byObject, raw } = streamsOf(pdf);
  const fonts = fontMaps(raw, byObject);
  return [...byObject.values()].flatMap(({ content }) => textOf(content, fonts)).join('\n');
}

/** What each page draws, in page order: its text, how many images it places, and how many rectangles and line segments it paints. */
export function pdfPages(pdf: Buffer): Array<{ text: string; images: number; rects: number; segments: number }> {
  const { byObject, raw } = streamsOf(pdf);
  const fonts = fontMaps(raw, byObject);
  const kids = /\/Type \/Pages[\s\S]*?\/Kids \[([^\]]*)\]/.exec(raw)?.[1] ?? '';
  return [...kids.matchAll(/(\d+) 0 R/g)].map((kid) => {
    const page = new RegExp(`(?:^|\\n)${kid[1]} 0 obj\\s*<<([\\s\\S]*?)>>\\s*endobj`).exec(raw)?.[1] ?? '';
    const content = byObject.get(Number(/\/Contents (\d+) 0 R/.exec(page)?.[1]))?.content ?? '';
    return {
      text: textOf(content, fonts).join('\n'),
      images: content.match(/\/I\d+ Do/g)?.length ?? 0,
      rects: content.match(/ re\b/g)?.length ?? 0,
      segments: content.match(/ l\b/g)?.length ?? 0,
    };
  });
}

function utf16ViaMap(hex: string, cmap: Map<number, string>): string {
  let out = '';
  for (let i = 0; i + 3 < hex.length; i += 4) out += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? '';
  return out;
}
