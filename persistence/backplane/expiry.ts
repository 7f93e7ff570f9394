/** The one rule every backplane entry with a deadline keeps (maps, blobs, slots; Local and Redis alike). */
export function assertExpiry(nowMs: number, expiresAtMs: number): void {
  if (!Number.isFinite(nowMs) || !Number.isFinite(expiresAtMs)) throw new TypeError('nowMs and expiresAtMs must be epoch milliseconds');
  if (expiresAtMs - nowMs < 1) throw new RangeError(`an entry must live at least 1 ms (expires ${expiresAtMs - nowMs} ms after now)`);
}
