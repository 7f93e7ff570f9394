import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { constantTimeEqual, parseSignatureHeader, signatureHeaderValue, verifySignature } from '../../../systems/payments/webhookSignature.js';

const SECRET = 'whsec_unit_test_secret_0123456789';
const hmac = (secret: string) => (payload: Uint8Array) => createHmac('sha256', secret).update(payload).digest('hex');
const body = new TextEncoder().encode('{"id":"evt_1","type":"purchase.completed","data":{"object":{}}}');
const sign = (t: number, bytes = body, secret = SECRET) =>
  signatureHeaderValue(t, hmac(secret)(new Uint8Array([...new TextEncoder().encode(`${t}.`), ...bytes])));

describe('payment webhook signature (Stripe-style t=…,v1=…)', () => {
  const now = 1_780_000_000;
  const check = (header: string | null, bytes = body) => verifySignature({ header, body: bytes, nowSec: now, toleranceSec: 300, hmacHex: hmac(SECRET) });

  it('accepts the HMAC of "<t>.<raw body>" within the tolerance, either side of now', () => {
    assert.equal(check(sign(now)), null);
    assert.equal(check(sign(now - 300)), null);
    assert.equal(check(sign(now + 300)), null);
  });

  it('accepts any of several v1 values (a secret being rolled) and ignores other schemes', () => {
    const good = sign(now).split('v1=')[1]!;
    assert.equal(check(`t=${now},v0=${'0'.repeat(64)},v1=${'a'.repeat(64)},v1=${good}`), null);
  });

  it('refuses a signature under another secret, or over another body, as SIGNATURE_INVALID', () => {
    assert.equal(check(sign(now, body, 'another_secret_0123456789'))?.code, 'SIGNATURE_INVALID');
    assert.equal(check(sign(now), new TextEncoder().encode('{"id":"evt_2"}'))?.code, 'SIGNATURE_INVALID');
  });

  it('refuses a genuine signature outside the window as SIGNATURE_EXPIRED (old and future)', () => {
    assert.match(check(sign(now - 301))!.message, /301 s old/);
    assert.equal(check(sign(now - 301))?.code, 'SIGNATURE_EXPIRED');
    assert.equal(check(sign(now + 301))?.code, 'SIGNATURE_EXPIRED');
  });

  it('refuses headers it cannot read as SIGNATURE_MALFORMED', () => {
    for (const header of [
      null,
      '',
      'garbage',
      `t=abc,v1=${'a'.repeat(64)}`,
      `v1=${'a'.repeat(64)}`,
      `t=${now}`,
      `t=${now},v1=xyz`,
      `t=1,t=2,v1=${'a'.repeat(64)}`,
      'x'.repeat(2000),
    ]) {
      assert.equal(check(header)?.code, 'SIGNATURE_MALFORMED', String(header).slice(0, 40));
    }
    assert.ok(!('code' in parseSignatureHeader(`t=${now},v1=${'A'.repeat(64)}`)), 'hex is read in either case');
  });

  it('compares whole strings', () => {
    assert.equal(constantTimeEqual('abc', 'abc'), true);
    assert.equal(constantTimeEqual('abc', 'abd'), false);
    assert.equal(constantTimeEqual('abc', 'abcd'), false);
  });
});
