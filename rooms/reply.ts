/**
 * Typed sends for the rooms: `reply(client, type, payload)` where the payload's type is what the
 * reply's zod schema (the contract's source) produces, so a payload that drifts from the contract
 * fails `npm run typecheck` instead of reaching a client the generated types mislead.
 */
import type { z } from 'zod';

/** What a reply goes through: a Colyseus client, or nothing when the client already left. */
export interface ReplySink {
  send(type: string, payload?: unknown): void;
}

/** What a broadcast goes through: the room. */
export interface BroadcastSink {
  broadcast(type: string, payload?: unknown): unknown;
}

/** `T` with every array and object readonly: a payload is only serialised, so readonly data may be sent as is. */
export type Sendable<T> = T extends ReadonlyArray<infer U> ? ReadonlyArray<Sendable<U>> : T extends object ? { readonly [K in keyof T]: Sendable<T[K]> } : T;

/** The payload a reply type's schema describes. */
export type PayloadOf<S extends Record<string, z.ZodType>, T extends keyof S> = Sendable<z.output<S[T]>>;

/** `reply` and `broadcastReply` bound to one room's reply schemas. */
export function typedReplies<S extends Record<string, z.ZodType>>(_schemas: S) {
  return {
    reply<T extends keyof S & string>(client: ReplySink | undefined, type: T, payload: PayloadOf<S, T>): void {
      client?.send(type, payload);
    },
    broadcastReply<T extends keyof S & string>(room: BroadcastSink, type: T, payload: PayloadOf<S, T>): void {
      room.broadcast(type, payload);
    },
  };
}
