/**
 * Passport events in binary COPY format: no escaping or parsing, uuids as 16 bytes. One reused buffer per encoder,
 * dropped past 16 MB. Data Postgres would refuse is left for Postgres (so the writer dead-letters it as before); only
 * a non-uuid id or a time past int64 microseconds is refused here, with Postgres's SQLSTATE.
 */
import type { PassportEvent } from '../../systems/passport/events.js';

/** A character that is no hex digit (the decoder rejects the value). */
const NOT_HEX = -1;

/** The staging table's columns, in COPY order (copySink.ts creates it). */
export const STAGE_COLUMNS = 'n, e, t, c, u, s, d, o, r, et, ei, p, src';
const FIELDS = 13;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Postgres timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
/** Above this the buffer goes back to its initial size before the next batch (1,000 typical events: ~0.3 MB). */
const SHRINK_ABOVE_BYTES = 16 << 20;

/** An error shaped like the one Postgres would raise (SQLSTATE class 22), so the writer isolates the event. */
export class EncodingDataError extends Error {
  constructor(
    readonly code: '22P02' | '22008',
    message: string,
  ) {
    super(message);
  }
}

const invalidUuid = (value: unknown) => new EncodingDataError('22P02', `invalid input syntax for type uuid: "${String(value).slice(0, 64)}"`);

const HEX = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX[48 + i] = i;
for (let i = 0; i < 6; i++) HEX[65 + i] = HEX[97 + i] = 10 + i;

export class CopyEncoder {
  private buf: Buffer;
  private off = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly initialBytes = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  /** A view of the encoder's own memory: send it before encoding the next batch. `rows`: events written (duplicates skipped). */
  encode(events: readonly PassportEvent[]): { data: Buffer; rows: number } {
    // A rare huge batch (big payloads) does not keep its buffer for good.
    if (this.buf.length > SHRINK_ABOVE_BYTES) this.buf = Buffer.allocUnsafe(this.initialBytes);
    this.off = 0;
    this.seen.clear();
    this.ensure(19);
    SIGNATURE.copy(this.buf, 0);
    this.buf.writeInt32BE(0, 11); // flags
    this.buf.writeInt32BE(0, 15); // header extension length
    this.off = 19;
    let rows = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (this.seen.has(e.eventId)) continue;
      this.seen.add(e.eventId);
      this.row(e, rows++);
    }
    this.ensure(2);
    this.buf.writeInt16BE(-1, this.off);
    this.off += 2;
    return { data: this.buf.subarray(0, this.off), rows };
  }

  private row(e: PassportEvent, n: number): void {
    this.ensure(2 + 8 + 20);
    this.buf.writeInt16BE(FIELDS, this.off);
    this.buf.writeInt32BE(4, this.off + 2);
    this.buf.writeInt32BE(n, this.off + 6);
    this.off += 10;
    this.uuid(e.eventId);
    this.text(e.eventType);
    this.text(e.eventCategory);
    this.uuid(e.userId);
    this.text(e.sessionId);
    this.text(e.deviceId);
    this.timestamp(e.occurredAt);
    this.timestamp(e.receivedAt);
    this.text(e.entityType);
    this.text(e.entityId);
    const payload = e.payload === undefined ? undefined : JSON.stringify(e.payload);
    if (payload === undefined) this.nil();
    else this.text(payload, 1); // jsonb binary: a version byte (1), then the JSON text
    this.text(e.source);
  }

  private nil(): void {
    this.ensure(4);
    this.buf.writeInt32BE(-1, this.off);
    this.off += 4;
  }

  /** A string (text, or jsonb with its version byte). Non-strings become NULL. */
  private text(value: string | null | undefined, version?: number): void {
    if (typeof value !== 'string') return this.nil();
    const prefix = version === undefined ? 0 : 1;
    this.ensure(4 + prefix + value.length * 3);
    const start = this.off + 4;
    if (prefix) this.buf[start] = version!;
    const bytes = value.length === 0 ? 0 : this.buf.write(value, start + prefix, 'utf8');
    this.buf.writeInt32BE(bytes + prefix, this.off);
    this.off = start + prefix + bytes;
  }

  private uuid(value: string | null | undefined): void {
    if (value === null || value === undefined) return this.nil();
    if (typeof value !== 'string' || value.length !== 36) throw invalidUuid(value);
    this.ensure(20);
    this.buf.writeInt32BE(16, this.off);
    let o = this.off + 4;
    for (let i = 0; i < 36;) {
      if (i === 8 || i === 13 || i === 18 || i === 23) {
        if (value.charCodeAt(i) !== 45) throw invalidUuid(value);
        i++;
        continue;
      }
      const hi = HEX[value.charCodeAt(i) & 127] ?? NOT_HEX;
      const lo = HEX[value.charCodeAt(i + 1) & 127] ?? NOT_HEX;
      if (hi < 0 || lo < 0 || value.charCodeAt(i) > 127 || value.charCodeAt(i + 1) > 127) throw invalidUuid(value);
      this.buf[o++] = (hi << 4) | lo;
      i += 2;
    }
    this.off = o;
  }

  /** ms since epoch → timestamptz (µs since 2000-01-01); a non-finite time becomes NULL. */
  private timestamp(ms: number): void {
    if (!Number.isFinite(ms)) return this.nil();
    this.ensure(12);
    const us = Math.round((ms - PG_EPOCH_MS) * 1000);
    const hi = Math.floor(us / TWO_32);
    if (hi >= TWO_32 / 2 || hi < -TWO_32 / 2) throw new EncodingDataError('22008', `timestamp out of range: ${ms}`);
    this.buf.writeInt32BE(8, this.off);
    this.buf.writeInt32BE(hi, this.off + 4);
    this.buf.writeUInt32BE(us - hi * TWO_32, this.off + 8);
    this.off += 12;
  }

  private ensure(bytes: number): void {
    if (this.off + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.off + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.off);
    this.buf = grown;
  }
}
