/**
 * Rides on /play (docs/PROTOCOL.md "Rides"): the Ride tab opens one (an invite card: the short code, the link, copy)
 * or joins one by code; the bar on the stage shows whoever rides (initials), who has the dial and the reactions,
 * to every member. The host passes the dial to a rider and takes it back; a rider sees "riding with …" and leaves.
 * A `/play?ride=CODE` link joins that ride once the page is connected.
 */
import type { Reaction, ReactionMessage, RideMessage } from '../../../clients/ts/src/messages.js';
import { $, append, clear, el } from '../shared/dom.js';
import type { SessionClient } from './session.js';

const REACTIONS: Record<Reaction, string> = { fire: '🔥', heart: '❤️', wow: '😮', dance: '💃', clap: '👏', laugh: '😂' };

/** Two letters for an avatar: the name's initials, else the user id's last two characters. */
export function initials(name: string | null, userId: string): string {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return userId.slice(-2).toUpperCase();
  return (words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[words.length - 1][0]).toUpperCase();
}

/** The code as people read it aloud: two groups of five. */
const spaced = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`;

export class RideView {
  private roster: RideMessage | null = null;
  private readonly bar = $('#ride-bar');
  private readonly panel = $('#panel-ride');

  constructor(
    private readonly session: SessionClient,
    private readonly me: () => string | null,
    private readonly log: (text: string, kind?: 'info' | 'error') => void,
  ) {
    session.on('ride', (m) => this.show(m));
    session.on('reaction', (m) => this.reacted(m));
    session.on('ride_ended', (m) => {
      this.status(m.reason === 'kicked' ? 'the host removed you from the ride' : m.reason === 'host_left' ? 'the host left: the ride ended' : 'the ride ended');
      this.show(null);
    });
    session.on('error', (m) => (m.for.startsWith('ride') || m.for === 'react') && this.status(`${m.code}: ${m.message}`));
    $('#ride-open').addEventListener('click', () => session.openRide({ who: $<HTMLSelectElement>('#ride-who').value as 'friends' | 'link' }));
    $('#ride-join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.join($<HTMLInputElement>('#ride-code-input').value);
    });
    $('#ride-copy').addEventListener('click', () => void this.copy());
    $('#ride-renew').addEventListener('click', () => session.renewInvite());
    $('#ride-take').addEventListener('click', () => session.takeDial());
    $('#ride-end').addEventListener('click', () => session.endRide());
    $('#ride-leave').addEventListener('click', () => void session.leaveRide().then(() => this.show(null)));
    const buttons = Object.entries(REACTIONS).map(([reaction, emoji]) => {
      const b = el('button', { type: 'button', class: 'react', 'data-reaction': reaction, 'aria-label': reaction, title: reaction }, emoji);
      b.addEventListener('click', () => session.react(reaction as Reaction));
      return b;
    });
    append($('#ride-reactions'), ...buttons);
    this.show(null);
  }

  /** Joins the ride of `code` (typed, or a link's `ride` parameter). */
  async join(code: string): Promise<void> {
    this.status('joining the ride…');
    try {
      await this.session.joinRide(code.trim());
      this.status('');
    } catch (err) {
      this.status((err as Error).message);
      this.show(null);
    }
  }

  private nameOf(userId: string): string {
    const r = this.roster;
    if (!r) return 'someone';
    if (userId === this.me()) return 'you';
    if (userId === r.host.userId) return r.host.name ?? 'the host';
    return r.riders.find((x) => x.userId === userId)?.name ?? 'a rider';
  }

  private show(r: RideMessage | null): void {
    this.roster = r;
    const me = this.me();
    const hosting = !!r && r.host.userId === me;
    const role = !r ? 'none' : hosting ? 'host' : 'rider';
    document.body.dataset.ride = role;
    document.body.dataset.dial = !r ? '' : r.holder === me ? 'yours' : 'theirs';
    this.panel.dataset.role = role;
    this.bar.hidden = !r;
    for (const [id, visible] of [
      ['#ride-start', !r],
      ['#ride-invite', hosting && !!r?.invite],
      ['#ride-members', !!r],
      ['#ride-take', hosting && r?.holder !== me],
      ['#ride-end', hosting],
      ['#ride-leave', role === 'rider'],
    ] as const)
      $(id).hidden = !visible;
    $('#tab-ride').textContent = r ? `Ride · ${r.riders.length + 1}` : 'Ride';
    if (!r) return;
    const host = r.host.name ?? 'a listener';
    $('#ride-with').textContent = hosting ? `Your ride · ${r.riders.length} of ${r.maxRiders}` : `Riding with ${host}`;
    $('#ride-title').textContent = hosting ? 'Your ride' : `Riding with ${host}`;
    const holder = r.holder === me ? 'You have the dial' : `${this.nameOf(r.holder).replace(/^\w/, (c) => c.toUpperCase())} has the dial`;
    $('#ride-dial').textContent = holder;
    $('#ride-dial-line').textContent = holder;
    if (r.invite) {
      $('#ride-code').textContent = spaced(r.invite.code);
      $<HTMLInputElement>('#ride-link').value = new URL(r.invite.link, location.origin).href;
      $('#ride-expires').textContent =
        `${r.who === 'friends' ? 'friends only' : 'anyone with the link'} · until ${new Date(r.invite.expiresAt).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}`;
    }
    const members = [{ userId: r.host.userId, name: r.host.name, here: true }, ...r.riders];
    clear($('#ride-avatars'));
    append($('#ride-avatars'), ...members.map((m) => this.avatar(m.userId, m.name, r, !m.here)));
    clear($('#ride-list'));
    append($('#ride-list'), ...members.map((m) => this.row(m, r, hosting)));
    if (r.riders.length === 0) append($('#ride-list'), el('li', { class: 'muted empty' }, 'No riders yet: send a friend the code or the link.'));
  }

  private avatar(userId: string, name: string | null, r: RideMessage, away: boolean, tag: 'li' | 'span' = 'li'): HTMLElement {
    const cls = ['avatar', userId === r.holder ? 'holder' : '', userId === r.host.userId ? 'host' : '', away ? 'away' : ''].filter(Boolean).join(' ');
    return el(tag, { class: cls, title: `${this.nameOf(userId)}${userId === r.holder ? ' · has the dial' : ''}`, 'data-user': userId }, initials(name, userId));
  }

  private row(m: { userId: string; name: string | null; here: boolean }, r: RideMessage, hosting: boolean): HTMLElement {
    const isHost = m.userId === r.host.userId;
    const label = m.userId === this.me() ? (m.name ? `${m.name} (you)` : 'You') : (m.name ?? (isHost ? 'The host' : 'A listener'));
    const tags = [isHost ? 'host' : '', m.userId === r.holder ? 'has the dial' : '', m.here ? '' : 'away'].filter(Boolean).join(' · ');
    const li = el(
      'li',
      { 'data-user': m.userId },
      this.avatar(m.userId, m.name, r, !m.here, 'span'),
      el('span', { class: 'who' }, el('strong', {}, label), el('span', { class: 'muted' }, tags)),
    );
    if (hosting && !isHost) {
      const actions = el('span', { class: 'actions' });
      if (m.userId !== r.holder && m.here) {
        const pass = el('button', { type: 'button', class: 'small pass' }, 'Pass the dial');
        pass.addEventListener('click', () => this.session.passDial(m.userId));
        append(actions, pass);
      }
      const kick = el('button', { type: 'button', class: 'small kick' }, 'Remove');
      kick.addEventListener('click', () => this.session.kickRider(m.userId));
      append(actions, kick);
      append(li, actions);
    }
    return li;
  }

  /** A reaction floats up over the stage for everyone, with who sent it. */
  private reacted(m: ReactionMessage): void {
    const who = this.nameOf(m.userId);
    const r = this.roster;
    const name = m.userId === r?.host.userId ? r.host.name : (r?.riders.find((x) => x.userId === m.userId)?.name ?? null);
    const node = el('span', { class: 'float', 'data-reaction': m.reaction }, REACTIONS[m.reaction], el('small', {}, initials(name, m.userId)));
    node.style.left = `${10 + Math.random() * 70}%`;
    const box = $('#ride-floats');
    box.dataset.count = String(Number(box.dataset.count ?? 0) + 1);
    box.append(node);
    while (box.children.length > 12) box.firstElementChild?.remove();
    setTimeout(() => node.remove(), 2600);
    this.log(`${who} reacted ${REACTIONS[m.reaction]}`);
  }

  private async copy(): Promise<void> {
    const input = $<HTMLInputElement>('#ride-link');
    try {
      await navigator.clipboard.writeText(input.value);
      this.status('invite link copied');
    } catch {
      input.select();
      this.status(document.execCommand('copy') ? 'invite link copied' : 'select the link to copy it');
    }
  }

  private status(text: string): void {
    $('#ride-status').textContent = text;
  }
}
