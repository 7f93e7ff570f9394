import type { BackplaneSlots, SlotClaim, SlotGroup } from './Backplane.js';
import { assertExpiry } from './expiry.js';

/** Bounded groups in this process's memory: what the Redis script does, one process alone (one store: scopes need no place of their own). */
export class LocalSlots implements BackplaneSlots {
  /** group → member → expiry. */
  private readonly groups = new Map<string, Map<string, number>>();
  private readonly holders = new Map<string, { holder: string; expiresAtMs: number }>();

  async claim(_scope: string, groups: readonly SlotGroup[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<SlotClaim> {
    assertExpiry(nowMs, expiresAtMs);
    for (const { key, limit } of groups) {
      const live = this.live(key, nowMs);
      if (!live?.has(member) && (live?.size ?? 0) >= limit) return { ok: false, group: key, held: live?.size ?? 0 };
    }
    const keys = groups.map((g) => g.key);
    this.hold(keys, member, holder, expiresAtMs);
    return { ok: true };
  }

  async refresh(_scope: string, groups: readonly string[], member: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    assertExpiry(nowMs, expiresAtMs);
    if (!this.heldBy(member, holder, nowMs)) return false;
    this.hold(groups, member, holder, expiresAtMs);
    return true;
  }

  async release(_scope: string, groups: readonly string[], member: string, holder: string): Promise<boolean> {
    const current = this.holders.get(member);
    if (current && current.holder !== holder) return false;
    this.holders.delete(member);
    for (const key of groups) {
      const group = this.groups.get(key);
      group?.delete(member);
      if (group?.size === 0) this.groups.delete(key);
    }
    return true;
  }

  async members(_scope: string, group: string, nowMs: number): Promise<string[]> {
    return [...(this.live(group, nowMs)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** True when `holder` holds `member`, or nobody does any more (it lapsed). */
  private heldBy(member: string, holder: string, nowMs: number): boolean {
    const current = this.holders.get(member);
    return !current || current.expiresAtMs <= nowMs || current.holder === holder;
  }

  private hold(groups: readonly string[], member: string, holder: string, expiresAtMs: number): void {
    for (const key of groups) {
      let group = this.groups.get(key);
      if (!group) this.groups.set(key, (group = new Map()));
      group.set(member, expiresAtMs);
    }
    this.holders.set(member, { holder, expiresAtMs });
  }

  /** The group with its lapsed members forgotten (and an empty group dropped). */
  private live(key: string, nowMs: number): Map<string, number> | undefined {
    const group = this.groups.get(key);
    if (!group) return undefined;
    for (const [member, expiresAtMs] of group) {
      if (expiresAtMs > nowMs) continue;
      group.delete(member);
      if (this.holders.get(member)?.expiresAtMs === expiresAtMs) this.holders.delete(member);
    }
    if (group.size === 0) this.groups.delete(key);
    return group.size ? group : undefined;
  }
}
