/**
 * /ops "Reports": the form that generates a Coliseum report (seed 004 "DIA Coliseum admin: report generation
 * interface"): a type, its subject, a range, and for a brand campaign its budget (the report then states its
 * return). POST /api/reports; the new report opens in a tab and the history list refreshes.
 */
import { el } from '../shared/dom.js';
import { api } from './api.js';
import { failureInWords, toast } from './feedback.js';

/** What the subject field holds for each type, as its placeholder says. */
const SUBJECT_HINT: Record<string, string> = {
  artist: 'artist id, e.g. wizkid',
  event: 'event id',
  city: 'city, e.g. Lagos',
  brand_campaign: 'campaign id (payload campaignId)',
  tournament: 'Lagos vs Accra vs Nairobi, or all cities',
};

interface Created {
  id: string;
  entityName: string;
  share: { url?: string };
}

/** Builds the form; `onCreated` runs after a report was stored. */
export function reportForm(onCreated: () => void): HTMLFormElement {
  const type = el(
    'select',
    { name: 'type', 'aria-label': 'report type' },
    ...Object.keys(SUBJECT_HINT).map((t) => el('option', { value: t }, t.replace('_', ' '))),
  );
  const subject = el('input', { name: 'entityId', required: '', maxlength: '128', placeholder: SUBJECT_HINT.artist, 'aria-label': 'report subject' });
  const range = el(
    'select',
    { name: 'range', 'aria-label': 'report range' },
    ...['24h', '7d', '30d', '90d'].map((r) => el('option', { value: r, ...(r === '30d' ? { selected: '' } : {}) }, r)),
  );
  const amount = el('input', {
    name: 'budget',
    type: 'number',
    min: '0.01',
    step: '0.01',
    placeholder: 'budget, e.g. 500.00',
    'aria-label': 'campaign budget',
  });
  const currency = el('input', { name: 'currency', value: 'USD', maxlength: '3', size: '4', pattern: '[A-Za-z]{3}', 'aria-label': 'budget currency' });
  const budget = el('span', { class: 'budget', hidden: '' }, amount, currency);
  const submit = el('button', { type: 'submit' }, 'Generate report');
  const form = el('form', { class: 'report-form row' }, type, subject, range, budget, submit);
  type.addEventListener('change', () => {
    subject.placeholder = SUBJECT_HINT[type.value] ?? '';
    budget.hidden = type.value !== 'brand_campaign';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { type: type.value, entityId: subject.value.trim(), range: range.value };
    if (type.value === 'brand_campaign' && amount.value)
      body.budget = { amountCents: Math.round(Number(amount.value) * 100), currency: currency.value.trim().toUpperCase() };
    submit.disabled = true;
    api<Created>('/api/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then((r) => {
        toast(`Report on ${r.entityName} generated`);
        if (r.share.url) window.open(r.share.url, '_blank', 'noopener');
        onCreated();
      })
      .catch((err) => toast(failureInWords(err, 'The report'), 'error'))
      .finally(() => (submit.disabled = false));
  });
  return form;
}
