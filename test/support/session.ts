import { randomUUID } from 'node:crypto';
import type { Room } from '@colyseus/sdk';
import { clientFor, nextMessage, waitForState } from './rooms.js';

/** A session room joined as a new listener, once its welcome and first station have arrived. */
export async function joinSession(baseUrl: string, options: Record<string, unknown> = {}): Promise<{ room: Room; welcome: any; deviceId: string }> {
  const deviceId = (options.deviceId as string | undefined) ?? `dev-${randomUUID()}`;
  const room = await clientFor(baseUrl).create('session', { deviceId, ...options });
  const welcome = await nextMessage(room, 'welcome');
  await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
  return { room, welcome, deviceId };
}

/** Leaves without waiting on a connection that is already gone. */
export async function leaveQuietly(room: Room): Promise<void> {
  await Promise.race([room.leave(true).catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
}
