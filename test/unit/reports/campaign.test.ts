import assert from 'node:assert/strict';
import { campaignFigures } from '../../../systems/reports/campaign.js';
import { campaignLines } from '../../../systems/reports/reportSections.js';

const counts = {
  reached: 200,
  engaged: 50,
  purchasers: 8,
  purchases: 10,
  revenue: [
    { currency: 'USD', cents: 75_000 },
    { currency: 'NGN', cents: 1_000_000 },
  ],
};

describe('brand campaigns: funnel and return on budget (systems/reports/campaign)', () => {
  it('rates the funnel against the listeners reached', () => {
    const c = campaignFigures(counts, null);
    assert.deepEqual([c.engagementRate, c.conversionRate, c.roi, c.budget], [25, 4, null, null]);
    const lines = campaignLines(c);
    assert.deepEqual(
      lines.map((l) => [l.label, l.value]),
      [
        ['Listeners reached', '200'],
        ['Listeners engaged', '50'],
        ['Listeners who bought', '8'],
        ['Return on budget', '—'],
      ],
    );
    assert.match(lines[2].note ?? '', /^4\.0% conversion · 10 purchases$/);
    assert.match(lines[3].note ?? '', /no budget/);
  });

  it('states the return in the budget currency only, and the costs per purchase and per listener', () => {
    const c = campaignFigures(counts, { amountCents: 50_000, currency: 'usd' });
    assert.deepEqual([c.revenueInBudgetCurrencyCents, c.roi, c.costPerPurchaseCents, c.costPerReachedCents], [75_000, 50, 5_000, 250]);
    const byLabel = Object.fromEntries(campaignLines(c).map((l) => [l.label, l]));
    assert.match(byLabel['Return on budget'].value, /^50\.0%$/);
    assert.match(byLabel['Revenue (USD)'].note ?? '', /other currencies not converted/);
    assert.match(byLabel.Budget.value, /500\.00/);
    assert.match(byLabel.Budget.value, /USD|\$/);
  });

  it('is a loss below the budget, and undefined rates with nobody reached', () => {
    assert.equal(campaignFigures({ ...counts, revenue: [] }, { amountCents: 10_000, currency: 'EUR' }).roi, -100);
    const none = campaignFigures({ reached: 0, engaged: 0, purchasers: 0, purchases: 0, revenue: [] }, { amountCents: 10_000, currency: 'EUR' });
    assert.deepEqual([none.engagementRate, none.conversionRate, none.costPerPurchaseCents, none.costPerReachedCents], [null, null, null, null]);
  });
});
