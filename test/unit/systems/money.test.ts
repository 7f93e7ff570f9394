import assert from 'node:assert/strict';
import { formatMoney, minorUnitDigits } from '../../../systems/money.js';
import { moneyBoardCurrency } from '../../../systems/leaderboard/leaderboards.js';

/** Money on the web pages and in the report PDF (systems/money.ts): Intl.NumberFormat, en-US. */
describe('formatMoney', () => {
  it('formats minor units with the currency symbol and grouping', () => {
    assert.equal(formatMoney(7500, 'USD', { code: 'never' }), '$75.00');
    assert.equal(formatMoney(125_000, 'NGN'), '₦1,250.00');
    assert.equal(formatMoney(999, 'EUR'), '€9.99');
    assert.equal(formatMoney(1_234_567_89, 'GBP'), '£1,234,567.89');
    assert.equal(formatMoney(0, 'NGN'), '₦0.00');
  });

  it('keeps the ISO code where the symbol alone is ambiguous', () => {
    assert.equal(formatMoney(7500, 'USD'), '$75.00 USD');
    assert.equal(formatMoney(7500, 'usd', { code: 'auto' }), '$75.00 USD', 'the code is upper-cased');
    assert.equal(formatMoney(420, 'CAD'), 'CA$4.20', 'Intl already names the dollar');
    assert.equal(formatMoney(125_000, 'NGN', { code: 'always' }), '₦1,250.00 NGN');
  });

  it("divides by the currency's own minor unit (JPY has none)", () => {
    assert.equal(minorUnitDigits('JPY'), 0);
    assert.equal(minorUnitDigits('NGN'), 2);
    assert.equal(formatMoney(1250, 'JPY'), '¥1,250 JPY');
  });

  it('never throws on a code Intl does not format: the amount and the code', () => {
    assert.equal(formatMoney(1250, 'XX'), '12.50 XX');
    assert.match(formatMoney(1250, 'XYZ'), /^XYZ\s12\.50$/, 'Intl prints an unknown code itself, once');
    assert.equal(formatMoney(Number.NaN, 'NGN'), '₦0.00');
  });

  it("reads a revenue board's currency from its name", () => {
    assert.equal(moneyBoardCurrency('revenue.ngn'), 'NGN');
    assert.equal(moneyBoardCurrency('artists.visits'), null);
    assert.equal(moneyBoardCurrency('revenue.'), null);
    // Money spent and earned are minor units too: a $1,234,567.89 spender read "123,456,789" on /ops.
    for (const board of ['spent.usd', 'earned.usd', 'artists.earned.usd', 'events.earned.usd', 'events.revenue.usd'])
      assert.equal(moneyBoardCurrency(board), 'USD', board);
  });
});
