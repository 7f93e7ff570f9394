/** Typed sends: a payload that drifts from the reply's zod schema fails typecheck instead of misleading a client. */
import type { z } from 'zod';

/** Nothing when the client already left. */
export interface ReplySink {
  send(type: string, payload?: unknown): void;
}

/** A payload is only serialised, so readonly data may be sent as is. */
export type Sendable<T> = T extends ReadonlyArray<infer U> ? ReadonlyArray<Sendable<U>> : T extends object ? { readonly [K in keyof T]: Sendable<T[K]> } : T;

export type PayloadOf<S extends Record<string, z.ZodType>, T extends keyof S> = Sendable<z.output<S[T]>>;

export function typedReplies<S extends Record<string, z.ZodType>>(_schemas: S) {
  return {
    reply<T extends keyof S & string>(client: ReplySink | undefined, type: T, payload: PayloadOf<S, T>): void {
      client?.send(type, payload);
    },
    broadcastReply<T extends keyof S & string>(room: { broadcast(type: string, payload?: unknown): unknown }, type: T, payload: PayloadOf<S, T>): void {
      room.broadcast(type, payload);
    },
  };
}
