/**
 * Money as people read it, in one place for the web pages and the report PDF: integer minor units (the
 * passport's `amountCents`, as Stripe counts them: cents, kobo; none for JPY) and an ISO 4217 code →
 * Intl.NumberFormat's currency format in en-US ("$75.00", "₦1,250.00", "€9.99", "¥1,250").
 *
 * Ambiguity: en-US prints most currencies with a symbol that names them ("CA$", "A$", "₦", "€"), but a bare
 * "$" or "¥" could be several currencies; those keep their code after the amount ("$75.00 USD") unless the
 * caller shows the code beside the figure already (`code: 'never'`, e.g. a tile with a unit).
 */

/** Minor-unit digits of a currency Intl does not know: cents, as most have. */
const CENTS = 2;

const LOCALE = 'en-US';
/** Symbols en-US gives one currency but readers elsewhere take for another (USD/CAD/AUD…, JPY/CNY). */
const AMBIGUOUS_SYMBOLS = new Set(['$', '¥']);

export interface MoneyOptions {
  /** 'auto' (default): the ISO code after an ambiguous symbol; 'always'; 'never' (the code is shown beside it). */
  code?: 'auto' | 'always' | 'never';
}

const formats = new Map<string, Intl.NumberFormat | null>();

/** The en-US currency format of `currency` (cached), or null for a code Intl refuses. */
function formatOf(currency: string, display: 'symbol' | 'narrowSymbol' = 'symbol'): Intl.NumberFormat | null {
  const key = `${display}:${currency}`;
  let f = formats.get(key);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencyDisplay: display });
    } catch {
      f = null;
    }
    // Codes come from data (a board name, a purchase): bound the cache all the same.
    if (formats.size < 1000) formats.set(key, f);
  }
  return f;
}

const symbolOf = (f: Intl.NumberFormat): string => f.formatToParts(1).find((p) => p.type === 'currency')?.value ?? '';

let narrowCounts: Map<string, number> | null = null;
/** How many currencies Intl prints with this narrow symbol (₦: 1, $: dozens); computed once. */
function narrowSymbolUsers(symbol: string): number {
  if (!narrowCounts) {
    narrowCounts = new Map();
    for (const c of Intl.supportedValuesOf('currency')) {
      const f = formatOf(c, 'narrowSymbol');
      const s = f ? symbolOf(f) : '';
      if (s && s !== c) narrowCounts.set(s, (narrowCounts.get(s) ?? 0) + 1);
    }
  }
  return narrowCounts.get(symbol) ?? 0;
}

/**
 * en-US prints some currencies by their code ("NGN 1,250.00") though they have a sign of their own; that
 * sign is used when no other currency shares it (₦), otherwise the code stays.
 */
function displayFormat(code: string): Intl.NumberFormat | null {
  const f = formatOf(code);
  if (!f || symbolOf(f) !== code) return f;
  const narrow = formatOf(code, 'narrowSymbol');
  const sign = narrow ? symbolOf(narrow) : code;
  return narrow && sign !== code && narrowSymbolUsers(sign) === 1 ? narrow : f;
}

/** Digits after the decimal point of a currency (2 for USD/NGN, 0 for JPY), 2 for a code Intl does not know. */
export function minorUnitDigits(currency: string): number {
  return formatOf(currency.toUpperCase())?.resolvedOptions().maximumFractionDigits ?? CENTS;
}

/** `minor` integer units of `currency` as text: "$75.00 USD", "₦1,250.00", "CA$4.20", "¥1,250 JPY". */
export function formatMoney(minor: number, currency: string, options: MoneyOptions = {}): string {
  const code = currency.toUpperCase();
  const f = displayFormat(code);
  const digits = minorUnitDigits(code);
  const amount = (Number.isFinite(minor) ? minor : 0) / 10 ** digits;
  if (!f) return `${amount.toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${code}`;
  const parts = f.formatToParts(amount);
  const text = parts.map((p) => p.value).join('');
  const symbol = parts.find((p) => p.type === 'currency')?.value ?? '';
  const mode = options.code ?? 'auto';
  // Intl falls back to the code itself as the "symbol" (e.g. "SEK 10.00"): never repeat it.
  const named = symbol.toUpperCase() === code;
  const withCode = !named && (mode === 'always' || (mode === 'auto' && AMBIGUOUS_SYMBOLS.has(symbol)));
  return withCode ? `${text} ${code}` : text;
}
