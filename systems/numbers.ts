/** Display rounding: the figures an answer shows; the inputs stay exact. */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** part ÷ whole in percent, one decimal; null when `whole` is 0. */
export const percentOf = (part: number, whole: number): number | null => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);
