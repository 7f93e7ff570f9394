/**
 * How wide a string is drawn in DejaVu Sans Bold (the server's pictures bundle and name that font), from the
 * generated advance-width table, and names wrapped to a width in pixels. A character outside the table (CJK,
 * Arabic, emoji: drawn by a fallback font) counts a whole em, the widest common case, so a name wraps early
 * rather than running into the next column.
 */
import { DEJAVU_SANS_BOLD_WIDTHS } from './fontWidths.js';

const UNKNOWN_WIDTH = 1000;

function advance(codePoint: number): number {
  for (const range of DEJAVU_SANS_BOLD_WIDTHS) {
    if (codePoint >= range.from && codePoint <= range.to) return range.widths[codePoint - range.from];
  }
  return UNKNOWN_WIDTH;
}

/** Width of `text` at `fontPx` pixels, in pixels. */
export function textWidthPx(text: string, fontPx: number): number {
  let thousandths = 0;
  for (const ch of text) thousandths += advance(ch.codePointAt(0)!);
  return (thousandths * fontPx) / 1000;
}

/** The longest prefix of `word` (whole code points) that fits `maxPx`, at least one character. */
function fittingPrefix(word: string, maxPx: number, fontPx: number): string {
  const chars = [...word];
  let width = 0;
  let n = 0;
  while (n < chars.length) {
    const next = (advance(chars[n].codePointAt(0)!) * fontPx) / 1000;
    if (n > 0 && width + next > maxPx) break;
    width += next;
    n++;
  }
  return chars.slice(0, n).join('');
}

/**
 * `text` on at most `maxLines` lines no wider than `maxPx`, broken between words; a word wider than a line
 * is broken inside. Only text that needs more lines ends with "…" on the last one.
 */
export function wrapToWidth(text: string, maxPx: number, fontPx: number, maxLines = 2): string[] {
  const fits = (s: string) => textWidthPx(s, fontPx) <= maxPx;
  const lines: string[] = [];
  let line = '';
  for (const word of text.trim().split(/\s+/)) {
    let rest = word;
    while (!fits(rest)) {
      if (line) lines.push(line);
      line = '';
      const head = fittingPrefix(rest, maxPx, fontPx);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    if (!line) line = rest;
    else if (fits(`${line} ${rest}`)) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const room = maxPx - textWidthPx('…', fontPx);
  return [...lines.slice(0, maxLines - 1), `${fittingPrefix(lines[maxLines - 1], room, fontPx).trimEnd()}…`];
}
