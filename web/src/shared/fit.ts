/**
 * Figures that never get cut: a text is drawn at its stylesheet size when it fits, else at the size that
 * makes its measured width fit (never below a floor, where it may wrap instead). Measured, not guessed from
 * the character count: "$1,234,567.89" and "1,111" differ far more in width than in length.
 */

/** The font size (px) at which a text `measuredPx` wide at `basePx` fits `availablePx`: base when it fits. */
export function fittedFontPx(basePx: number, measuredPx: number, availablePx: number, minPx: number): number {
  if (measuredPx <= availablePx || measuredPx <= 0) return basePx;
  return Math.max(minPx, Math.floor(basePx * (availablePx / measuredPx) * 10) / 10);
}

/**
 * Shrinks `node`'s font so that it fits `availablePx` (its stylesheet size when it fits). Reads layout: call
 * after the text changed, once per frame at most.
 */
export function fitWidth(node: HTMLElement, availablePx: number, minPx = 10): void {
  node.style.fontSize = '';
  const base = parseFloat(getComputedStyle(node).fontSize);
  const measured = node.scrollWidth;
  const size = fittedFontPx(base, measured, availablePx, minPx);
  if (size !== base) node.style.fontSize = `${size}px`;
}
