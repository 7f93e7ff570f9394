/**
 * Money as people read it (web pages, the report PDF): integer minor units and an ISO 4217 code → Intl's en-US
 * format. A bare "$" or "¥" could be several currencies: those keep their code after the amount ("$75.00 USD")
 * unless the caller shows it already (`code: 'never'`).
 */

/** For a currency Intl does not know. */
const CENTS = 2;

const LOCALE = 'en-US';
const AMBIGUOUS_SYMBOLS = new Set(['$', '¥']);

const formats = new Map<string, Intl.NumberFormat | null>();

/** Cached; null for a code Intl refuses. */
function formatOf(currency: string, display: 'symbol' | 'narrowSymbol' = 'symbol'): Intl.NumberFormat | null {
  const key = `${display}:${currency}`;
  let f = formats.get(key);
  if (f === undefined) {
    try {
      f = new Intl.NumberFormat(LOCALE, { style: 'currency', currency, currencyDisplay: display });
    } catch {
      f = null;
    }
    // Codes come from data: bound the cache.
    if (formats.size < 1000) formats.set(key, f);
  }
  return f;
}

const symbolOf = (f: Intl.NumberFormat): string => f.formatToParts(1).find((p) => p.type === 'currency')?.value ?? '';

let narrowCounts: Map<string, number> | null = null;
/** ₦: 1, $: dozens; computed once. */
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

/** en-US prints some currencies by code ("NGN 1,250.00"): their own sign is used when no other currency shares it. */
function displayFormat(code: string): Intl.NumberFormat | null {
  const f = formatOf(code);
  if (!f || symbolOf(f) !== code) return f;
  const narrow = formatOf(code, 'narrowSymbol');
  const sign = narrow ? symbolOf(narrow) : code;
  return narrow && sign !== code && narrowSymbolUsers(sign) === 1 ? narrow : f;
}

/** 2 for a code Intl does not know. */
export function minorUnitDigits(currency: string): number {
  return formatOf(currency.toUpperCase())?.resolvedOptions().maximumFractionDigits ?? CENTS;
}

/** "$75.00 USD", "₦1,250.00", "CA$4.20", "¥1,250 JPY". */
export function formatMoney(minor: number, currency: string, options: { code?: 'auto' | 'always' | 'never' } = {}): string {
  const code = currency.toUpperCase();
  const f = displayFormat(code);
  const digits = minorUnitDigits(code);
  const amount = (Number.isFinite(minor) ? minor : 0) / 10 ** digits;
  if (!f) return `${amount.toLocaleString(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${code}`;
  const parts = f.formatToParts(amount);
  const text = parts.map((p) => p.value).join('');
  const symbol = parts.find((p) => p.type === 'currency')?.value ?? '';
  const mode = options.code ?? 'auto';
  // Intl falls back to the code as the "symbol" ("SEK 10.00"): never repeat it.
  const named = symbol.toUpperCase() === code;
  const withCode = !named && (mode === 'always' || (mode === 'auto' && AMBIGUOUS_SYMBOLS.has(symbol)));
  return withCode ? `${text} ${code}` : text;
}
