/** The live view: health, totals, per-process rows (one per server process sharing Redis). */
import type { OpsOverview, OpsProcessHeartbeat as ProcessHeartbeat, RoomTypeCount } from '../../../clients/ts/src/ops.js';
import { append, clear, el, fmtBytes, fmtDuration, fmtInt, fmtNum, labelCells } from '../shared/dom.js';

function probe(name: string, state: string): HTMLElement {
  return el('span', { class: `probe ${state}`, 'data-probe': name }, `${name}: ${state.replace('_', ' ')}`);
}

/** Warn colours for numbers with a known budget (20 Hz tick = 50 ms, event loop, queue fill). */
function level(value: number | null, warn: number, bad: number): string {
  if (value === null) return '';
  return value >= bad ? 'bad' : value >= warn ? 'warn' : 'ok';
}

function cell(text: string, cls = ''): HTMLTableCellElement {
  return el('td', { class: `num ${cls}`.trim() }, text);
}

function roomsText(rooms: Record<string, RoomTypeCount>): string {
  const parts = Object.entries(rooms).map(([name, c]) => `${name} ${c.rooms}/${c.clients}`);
  return parts.length ? parts.join(' · ') : '—';
}

/** What a process runs (nothing shown for one that predates the role). */
function roleText(role: ProcessHeartbeat['role']): string {
  if (!role) return '';
  if (role.rooms) return role.jobs ? ' · rooms + jobs' : ' · rooms';
  return role.jobs ? ' · jobs, no rooms' : ' · no rooms';
}

function processRow(p: ProcessHeartbeat, self: string): HTMLTableRowElement {
  const q = p.passport;
  const fill = q ? q.queueDepth / Math.max(1, q.maxQueue) : null;
  const row = el(
    'tr',
    { 'data-process': p.processId, class: p.processId === self ? 'self' : '' },
    el(
      'td',
      {},
      el('div', { class: 'proc-id' }, p.processId),
      el('div', { class: 'muted small' }, `${p.publicAddress ?? p.hostname} · pid ${p.pid} · ${p.transport}${roleText(p.role)}`),
    ),
    cell(fmtDuration(p.uptimeSec)),
    el('td', { class: 'small' }, roomsText(p.rooms)),
    cell(fmtInt(p.ccu)),
    cell(fmtNum(p.tickMsP99, 2, ' ms'), level(p.tickMsP99, 10, 50)),
    cell(p.patchBytesPerSec === null ? 'n/a' : `${fmtBytes(p.patchBytesPerSec)}/s`),
    cell(fmtNum(p.eventLoopLagMsP99, 1, ' ms'), level(p.eventLoopLagMsP99, 50, 200)),
    cell(q ? `${fmtInt(q.queueDepth)} / ${fmtInt(q.maxQueue)}` : 'n/a', level(fill, 0.5, 0.9)),
    cell(q ? `${fmtNum(q.flushLatencyMsP50, 1)} / ${fmtNum(q.flushLatencyMsMax, 1)} ms` : 'n/a', level(q?.flushLatencyMsMax ?? null, 500, 2000)),
    cell(q ? fmtNum(q.persistedPerSec, 1) : 'n/a'),
    cell(q ? `${fmtInt(q.rejected)} / ${fmtInt(q.deadLettered)}` : 'n/a', q && (q.rejected || q.deadLettered) ? 'warn' : ''),
    el(
      'td',
      { class: `small ${q?.lastError ? 'bad' : 'muted'}`, title: q?.lastErrorAt ?? '' },
      q?.lastError ? `${q.retrying ? 'retrying: ' : ''}${q.lastError}` : 'none',
    ),
    cell(p.leaderboardLagMs === null ? 'n/a' : fmtNum(p.leaderboardLagMs, 0, ' ms'), level(p.leaderboardLagMs, 1000, 5000)),
    cell(`${fmtNum(p.rssMb, 0)} MB`),
  );
  return row;
}

export function renderOverview(o: OpsOverview, root: { health: HTMLElement; tiles: HTMLElement; processes: HTMLElement; roomTypes: HTMLElement }): void {
  clear(root.health);
  append(root.health, probe('database', o.health.database), probe('redis', o.health.redis), el('span', { class: 'probe info' }, `registry: ${o.registry}`));
  if (o.registryError) append(root.health, el('span', { class: 'probe down' }, `registry error: ${o.registryError}`));

  const tiles: Array<[string, string, string]> = [
    ['ccu', 'Clients (CCU)', fmtInt(o.totals.ccu)],
    ['rooms', 'Rooms', fmtInt(Object.values(o.totals.rooms).reduce((s, c) => s + c.rooms, 0))],
    ['events', 'Events persisted/s', fmtNum(o.totals.eventsPerSec, 1)],
    ['processes', 'Processes', fmtInt(o.totals.processes)],
  ];
  clear(root.tiles);
  for (const [id, label, value] of tiles)
    append(root.tiles, el('div', { class: 'tile', 'data-tile': id }, el('div', { class: 'label' }, label), el('div', { class: 'value num' }, value)));

  clear(root.roomTypes);
  const types = Object.entries(o.totals.rooms);
  if (!types.length) append(root.roomTypes, el('tr', {}, el('td', { colspan: 3, class: 'muted' }, 'no rooms')));
  for (const [name, c] of types)
    append(root.roomTypes, el('tr', { 'data-room-type': name }, el('td', {}, name), cell(fmtInt(c.rooms)), cell(fmtInt(c.clients))));

  clear(root.processes);
  for (const p of o.processes) root.processes.appendChild(processRow(p, o.self));
  labelCells(root.processes);
}
