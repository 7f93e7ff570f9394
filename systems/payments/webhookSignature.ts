/**
 * The payment webhook's signature, checked the way Stripe checks its own: the provider sends
 * `Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` and we recompute the
 * HMAC over the bytes exactly as received (a body re-serialised from parsed JSON would not match).
 * Several `v1` values may come while the provider rolls its secret; any one matching is enough, and
 * unknown schemes (`v0=`) are ignored. The timestamp is signed too, so a captured delivery cannot be
 * replayed outside the tolerance window; inside it the event id makes a replay harmless.
 * Pure: the HMAC itself is handed in (node:crypto lives above this floor), the clock as a number.
 */

/** The request header, lower-case as the Web Headers read it. */
export const SIGNATURE_HEADER = 'payment-signature';

export type SignatureErrorCode = 'SIGNATURE_MALFORMED' | 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED';

export interface SignatureProblem {
  code: SignatureErrorCode;
  message: string;
}

export interface SignatureHeader {
  /** Unix seconds the provider signed at. */
  timestamp: number;
  /** Lower-case hex HMACs (`v1=`), at most {@link MAX_SIGNATURES}. */
  signatures: string[];
}

const MAX_HEADER_CHARS = 1024;
const MAX_SIGNATURES = 8;
const HEX_SHA256 = /^[0-9a-f]{64}$/;
const SECONDS = /^\d{1,12}$/;
const encoder = new TextEncoder();

const malformed = (message: string): SignatureProblem => ({
  code: 'SIGNATURE_MALFORMED',
  message: `${message}; send Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
});

/** The header's timestamp and `v1` signatures, or why it cannot be read. */
export function parseSignatureHeader(value: string | null): SignatureHeader | SignatureProblem {
  if (value === null || value.trim() === '') return malformed('the Payment-Signature header is missing');
  if (value.length > MAX_HEADER_CHARS) return malformed(`the Payment-Signature header is longer than ${MAX_HEADER_CHARS} characters`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return malformed('the Payment-Signature header is not a list of key=value pairs');
    const key = part.slice(0, at).trim();
    const item = part.slice(at + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !SECONDS.test(item)) return malformed('t= must appear once, as whole unix seconds');
      timestamp = Number(item);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(item.toLowerCase())) return malformed('v1= must be 64 hex digits (an HMAC-SHA256)');
      if (signatures.length < MAX_SIGNATURES) signatures.push(item.toLowerCase());
    }
  }
  if (timestamp === undefined) return malformed('t= is missing');
  if (signatures.length === 0) return malformed('no v1= signature');
  return { timestamp, signatures };
}

/** The bytes the provider signs: `<t>.` followed by the raw body. */
export function signedPayload(timestamp: number, body: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${timestamp}.`);
  const out = new Uint8Array(prefix.byteLength + body.byteLength);
  out.set(prefix, 0);
  out.set(body, prefix.byteLength);
  return out;
}

/** The header a provider (or a test) sends for `hex` signed at `timestamp`. */
export const signatureHeaderValue = (timestamp: number, hex: string): string => `t=${timestamp},v1=${hex}`;

/** Equal strings of equal length, in time that depends on the length only (never on where they differ). */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface SignatureCheck {
  header: string | null;
  body: Uint8Array;
  nowSec: number;
  toleranceSec: number;
  /** Lower-case hex HMAC-SHA256 of the bytes under the webhook secret. */
  hmacHex: (payload: Uint8Array) => string;
}

/**
 * Null when the body is signed with the secret within the tolerance; else the problem. The signature is
 * checked before the time, so only a genuine delivery learns that its timestamp was out of the window.
 */
export function verifySignature(check: SignatureCheck): SignatureProblem | null {
  const parsed = parseSignatureHeader(check.header);
  if ('code' in parsed) return parsed;
  const expected = check.hmacHex(signedPayload(parsed.timestamp, check.body));
  // Every candidate is compared (no early exit), so the time taken does not say which one matched.
  const matched = parsed.signatures.reduce((found, candidate) => constantTimeEqual(candidate, expected) || found, false);
  if (!matched) return { code: 'SIGNATURE_INVALID', message: 'no v1 signature matches the body under the webhook secret; nothing was recorded' };
  const skew = check.nowSec - parsed.timestamp;
  if (skew > check.toleranceSec)
    return { code: 'SIGNATURE_EXPIRED', message: `the signature is ${skew} s old, beyond the ${check.toleranceSec} s tolerance; nothing was recorded` };
  if (-skew > check.toleranceSec)
    return {
      code: 'SIGNATURE_EXPIRED',
      message: `the signature is dated ${-skew} s ahead, beyond the ${check.toleranceSec} s tolerance; nothing was recorded`,
    };
  return null;
}
