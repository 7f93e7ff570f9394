/**
 * The side panel of /play as tabs (a bottom sheet on a phone): Now (the live constellation, picks,
 * badges, activity), Journal, Search, Share, Inbox (./inbox.ts) and Ride (./ride.ts). The open tab is kept in the URL's hash, so a reload
 * or a shared /play#search opens there.
 */
import { $ } from '../shared/dom.js';
import type { DeviceAuth } from './auth.js';
import { JournalPanel } from './journal.js';
import { SearchPanel } from './search.js';
import { SharePanel } from './sharePanel.js';

export const TABS = ['now', 'journal', 'search', 'share', 'inbox', 'ride'] as const;
export type Tab = (typeof TABS)[number];

export interface Panels {
  /** A star was captured: the journal is read again (now if it is open). */
  captured(): void;
  open(tab: Tab): void;
}

export function setupPanels(auth: DeviceAuth, tune: (frequency: number, name: string) => void, inbox: { show(): void }): Panels {
  const journal = new JournalPanel($('#panel-journal'), auth, tune);
  const search = new SearchPanel($('#panel-search'), auth, tune);
  new SharePanel($('#panel-share'), auth);
  let current: Tab = 'now';

  const open = (tab: Tab, focus = false): void => {
    current = tab;
    for (const t of TABS) {
      const selected = t === tab;
      $(`#tab-${t}`).setAttribute('aria-selected', String(selected));
      $(`#tab-${t}`).tabIndex = selected ? 0 : -1;
      $(`#panel-${t}`).hidden = !selected;
    }
    document.body.dataset.tab = tab;
    if (location.hash !== `#${tab}`) history.replaceState(null, '', tab === 'now' ? location.pathname + location.search : `#${tab}`);
    if (tab === 'journal') void journal.show();
    if (tab === 'search' && focus) search.focus();
    if (tab === 'inbox') inbox.show();
  };

  for (const t of TABS) $(`#tab-${t}`).addEventListener('click', () => open(t, true));
  // Arrow keys move along the tab bar (the keys elsewhere on the page step the dial).
  $('#tabs').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.stopPropagation();
    const next = TABS[(TABS.indexOf(current) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
    open(next);
    $(`#tab-${next}`).focus();
  });
  // "/" jumps to search, as on most sites with one.
  document.addEventListener('keydown', (e) => {
    if (e.key !== '/' || e.target instanceof HTMLInputElement) return;
    e.preventDefault();
    open('search', true);
  });
  const fromHash = location.hash.slice(1) as Tab;
  open(TABS.includes(fromHash) ? fromHash : 'now');

  return {
    captured: () => journal.invalidate(current === 'journal'),
    open: (tab) => open(tab, true),
  };
}
