/**
 * /ops "Reports": the form that generates a Coliseum report: a type, its subject, a range, and for a brand campaign its budget (the report then states its
 * return). POST /api/reports; the new report opens in a tab and the history list refreshes.
 */
import { el } from '../shared/dom.js';
import { api } from './api.js';
import { failureInWords, toast } from './feedback.js';

/** What the subject field holds for each type, as its placeholder says when no board has an example to offer. */
const SUBJECT_HINT: Record<string, string> = {
  artist: 'artist id (artist_…)',
  event: 'event id',
  city: 'city',
  brand_campaign: 'campaign id (payload campaignId)',
  tournament: 'Lagos vs Accra vs Nairobi, or all cities',
};

/** The board whose rows are subjects of each type: the examples and suggestions come from what has data. */
const SUBJECT_BOARD: Record<string, string> = { artist: 'artists.visits', event: 'events.attendance', city: 'cities.engagement' };

interface Suggestion {
  id: string;
  name: string;
}

/** Each type's subjects with data in the last 30 days, most active first (GET /api/ops/leaderboards). */
async function subjectsWithData(): Promise<Record<string, Suggestion[]>> {
  const { leaderboards } = await api<{ leaderboards: Array<{ name: string; entries: Array<{ entityId: string; name: string }> }> }>(
    '/api/ops/leaderboards?window=30d&limit=20',
  );
  const out: Record<string, Suggestion[]> = {};
  for (const [type, board] of Object.entries(SUBJECT_BOARD))
    out[type] = (leaderboards.find((b) => b.name === board)?.entries ?? []).map((e) => ({ id: e.entityId, name: e.name }));
  return out;
}

/**
 * The subject as typed, as an id the server knows: a suggestion's id as it is, else the suggestion whose name or
 * id tail matches ("Wizkid" and "wizkid" are artist_wizkid), else the text as typed.
 */
export function resolveSubject(typed: string, suggestions: readonly Suggestion[]): string {
  const t = typed.trim();
  const key = t.toLowerCase();
  const hit =
    suggestions.find((s) => s.id === t) ?? suggestions.find((s) => s.name.toLowerCase() === key || s.id.toLowerCase().replace(/^[a-z]+_/, '') === key);
  return hit?.id ?? t;
}

interface Created {
  id: string;
  entityName: string;
  share: { url?: string };
}

/** Builds the form; `onCreated` runs after a report was stored; `reload` reads the subjects with data again. */
export function reportForm(onCreated: () => void): { form: HTMLFormElement; reload: () => Promise<void> } {
  const type = el(
    'select',
    { name: 'type', 'aria-label': 'report type' },
    ...Object.keys(SUBJECT_HINT).map((t) => el('option', { value: t }, t.replace('_', ' '))),
  );
  const options = el('datalist', { id: 'report-subjects' });
  const subject = el('input', {
    name: 'entityId',
    required: '',
    maxlength: '128',
    placeholder: SUBJECT_HINT.artist,
    list: 'report-subjects',
    autocomplete: 'off',
    'aria-label': 'report subject',
  });
  let known: Record<string, Suggestion[]> = {};
  // The hint's example is a subject with data (a made-up one made an all-zero report), and the list offers the rest.
  const suggest = (): void => {
    const list = known[type.value] ?? [];
    subject.placeholder = list[0] ? `${SUBJECT_HINT[type.value]}, e.g. ${list[0].id}` : SUBJECT_HINT[type.value];
    options.replaceChildren(...list.map((s) => el('option', { value: s.id }, s.name)));
  };
  const reload = (): Promise<void> =>
    subjectsWithData()
      .then((found) => {
        known = found;
        suggest();
      })
      .catch(() => undefined);
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
  const form = el('form', { class: 'report-form row' }, type, subject, options, range, budget, submit);
  type.addEventListener('change', () => {
    suggest();
    budget.hidden = type.value !== 'brand_campaign';
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body: Record<string, unknown> = { type: type.value, entityId: resolveSubject(subject.value, known[type.value] ?? []), range: range.value };
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
  return { form, reload };
}
