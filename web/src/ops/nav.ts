/**
 * The console's tabs: a sticky bar that shows one group of sections at a time, so an operator reaches
 * rooms, users or jobs in one click instead of scrolling one long page. The tab is kept in the URL
 * (#tab=rooms) so a reload or a shared link opens the same view.
 */
import { el } from '../shared/dom.js';

/** Tab → the ids of the sections it shows, in page order (sections built by the panels included). */
export const OPS_TABS = [
  { id: 'overview', label: 'Overview', sections: ['overview', 'live', 'rates', 'processes'] },
  { id: 'rooms', label: 'Rooms', sections: ['rooms'] },
  { id: 'users', label: 'Users', sections: ['dia'] },
  { id: 'analytics', label: 'Analytics', sections: ['kpis', 'leaderboards', 'custom-leaderboards', 'reports', 'processors'] },
  { id: 'assets', label: 'Images', sections: ['asset-reviews'] },
  { id: 'jobs', label: 'Jobs & log', sections: ['jobs', 'logs'] },
] as const;

export type OpsTab = (typeof OPS_TABS)[number]['id'];

const tabOfHash = (): OpsTab => {
  const wanted = /tab=([a-z]+)/.exec(location.hash)?.[1];
  return OPS_TABS.find((t) => t.id === wanted)?.id ?? 'overview';
};

export class OpsNav {
  private readonly buttons = new Map<OpsTab, HTMLButtonElement>();

  constructor(
    private readonly dashboard: HTMLElement,
    nav: HTMLElement,
  ) {
    for (const tab of OPS_TABS) {
      const button = el('button', { type: 'button', role: 'tab', 'data-tab': tab.id, 'aria-controls': tab.sections[0] }, tab.label);
      button.addEventListener('click', () => this.show(tab.id, true));
      this.buttons.set(tab.id, button);
      nav.appendChild(button);
    }
    addEventListener('hashchange', () => this.show(tabOfHash(), false));
  }

  /** Shows the tab named in the URL (call once the panels have built their sections). */
  start(): void {
    this.show(tabOfHash(), false);
  }

  show(id: OpsTab, remember: boolean): void {
    const visible = new Set<string>(OPS_TABS.find((t) => t.id === id)?.sections ?? []);
    for (const section of this.dashboard.querySelectorAll<HTMLElement>(':scope > [id]')) section.classList.toggle('off-tab', !visible.has(section.id));
    for (const [tab, button] of this.buttons) button.setAttribute('aria-selected', String(tab === id));
    if (remember) history.replaceState(null, '', `#tab=${id}`);
    scrollTo({ top: 0 });
  }
}
