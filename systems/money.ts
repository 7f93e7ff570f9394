/**
 * Money as people read it: integer minor units ("cents", as the passport and the rollups store them) in the
 * currency's own en-US form — "$75.00", "€0.05", "NGN 1,250.00" (a code where the symbol would be ambiguous,
 * as Intl decides) — always two decimals. A code Intl does not know is written after the amount. Pure.
 */

const formats = new Map<string, Intl.NumberFormat | null>();
/** Distinct currencies kept formatted; the passport bounds codes to 3 letters, so this is a cap, not a need. */
const MAX_FORMATS = 200;

function formatFor(code: string): Intl.NumberFormat | null {
  let format = formats.get(code);
  if (format !== undefined) return format;
  try {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: 2, maximumFractionDigits: 2 });
  } catch {
    format = null; // not an ISO 4217 code Intl knows
  }
  if (formats.size < MAX_FORMATS) formats.set(code, format);
  return format;
}

/** `cents` of `currency` (any case) as text; a non-breaking space is written as a plain one. */
export function formatMoney(cents: number, currency: string): string {
  const code = currency.toUpperCase();
  const amount = cents / 100;
  const format = formatFor(code);
  if (!format) return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${code}`;
  return format.format(amount).replace(/\u00a0/g, ' ');
}
