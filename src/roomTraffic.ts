import { Counter, type Registry } from 'prom-client';
import type { Client } from '@colyseus/core';

/** Bounded labels: registered message types, `unknown` for anything else; error codes from the rooms' own table. */
export interface RoomTraffic {
  inbound(room: string, type: string): void;
  errorReply(room: string, code: string): void;
  connection(room: string, event: 'join' | 'leave' | 'reconnect'): void;
}

export function createRoomTraffic(registry: Registry): RoomTraffic {
  const inbound = new Counter({
    name: 'ds_room_messages_in_total',
    help: 'Client messages received, per room type and message type (unknown types as "unknown")',
    labelNames: ['room', 'type'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'ds_room_error_replies_total',
    help: '`error` replies sent to clients, per room type and code',
    labelNames: ['room', 'code'],
    registers: [registry],
  });
  const connections = new Counter({
    name: 'ds_room_connections_total',
    help: 'Client joins, leaves and reconnects, per room type',
    labelNames: ['room', 'event'],
    registers: [registry],
  });
  return {
    inbound: (room, type) => inbound.inc({ room, type }),
    errorReply: (room, code) => errors.inc({ room, code }),
    connection: (room, event) => connections.inc({ room, event }),
  };
}

const ERROR_CODE = /^[A-Z_]{1,40}$/;

/** Once per client object. */
export function countErrorReplies(client: Client, room: string, traffic: RoomTraffic): void {
  const c = client as Client & { __dsErrorsCounted?: true };
  if (c.__dsErrorsCounted) return;
  c.__dsErrorsCounted = true;
  const send = c.send.bind(c) as (type: unknown, message?: unknown, options?: unknown) => void;
  (c as unknown as { send: typeof send }).send = (type, message, options) => {
    if (type === 'error') {
      const code = (message as { code?: unknown } | undefined)?.code;
      traffic.errorReply(room, typeof code === 'string' && ERROR_CODE.test(code) ? code : 'OTHER');
    }
    return send(type, message, options);
  };
}
