/**
 * Drawn widths in DejaVu Sans Bold (the font the server's pictures bundle), and names wrapped to pixels. A character
 * outside the table (CJK, emoji: a fallback font) counts a whole em, so a name wraps early rather than overrun.
 */
import { DEJAVU_SANS_BOLD_WIDTHS } from './fontWidths.js';

const UNKNOWN_WIDTH = 1000;

function advance(codePoint: number): number {
  for (const range of DEJAVU_SANS_BOLD_WIDTHS) {
    if (codePoint >= range.from && codePoint <= range.to) return range.widths[codePoint - range.from];
  }
  return UNKNOWN_WIDTH;
}

export function textWidthPx(text: string, fontPx: number): number {
  let thousandths = 0;
  for (const ch of text) thousandths += advance(ch.codePointAt(0)!);
  return (thousandths * fontPx) / 1000;
}

/** Whole code points, at least one. */
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

/** Broken between words (inside a word wider than a line); "…" only when more lines were needed. */
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
