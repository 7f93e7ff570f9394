/**
 * The payment webhook's signature, checked as Stripe checks its own: `Payment-Signature: t=<unix s>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">` over the bytes as received (re-serialised JSON would not match). Any `v1`
 * matching is enough (secrets roll); unknown schemes are ignored. The signed timestamp stops a captured delivery
 * being replayed outside the tolerance; inside it the event id makes a replay harmless.
 */

/** Lower-case, as Web Headers read it. */
export const SIGNATURE_HEADER = 'payment-signature';

export type SignatureErrorCode = 'SIGNATURE_MALFORMED' | 'SIGNATURE_INVALID' | 'SIGNATURE_EXPIRED';

export interface SignatureProblem {
  code: SignatureErrorCode;
  message: string;
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

/** `signatures`: lower-case hex (`v1=`), at most {@link MAX_SIGNATURES}. */
export function parseSignatureHeader(value: string | null): { timestamp: number; signatures: string[] } | SignatureProblem {
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

export function signedPayload(timestamp: number, body: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${timestamp}.`);
  const out = new Uint8Array(prefix.byteLength + body.byteLength);
  out.set(prefix, 0);
  out.set(body, prefix.byteLength);
  return out;
}

export const signatureHeaderValue = (timestamp: number, hex: string): string => `t=${timestamp},v1=${hex}`;

/** Time depends on the length only, never on where they differ. */
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
  hmacHex: (payload: Uint8Array) => string;
}

/** The signature is checked before the time, so only a genuine delivery learns its timestamp was out of the window. */
export function verifySignature(check: SignatureCheck): SignatureProblem | null {
  const parsed = parseSignatureHeader(check.header);
  if ('code' in parsed) return parsed;
  const expected = check.hmacHex(signedPayload(parsed.timestamp, check.body));
  // No early exit: the time taken does not say which one matched.
  const matched = parsed.signatures.reduce((found, candidate) => constantTimeEqual(candidate, expected) || found, false);
  if (!matched) return { code: 'SIGNATURE_INVALID', message: 'no v1 signature matches the body under the webhook secret; nothing was recorded' };
  const skew = check.nowSec - parsed.timestamp;
  if (Math.abs(skew) <= check.toleranceSec) return null;
  const age = skew > 0 ? `${skew} s old` : `dated ${-skew} s ahead`;
  return { code: 'SIGNATURE_EXPIRED', message: `the signature is ${age}, beyond the ${check.toleranceSec} s tolerance; nothing was recorded` };
}
