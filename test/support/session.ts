import type { Room } from '@colyseus/sdk';
import { nextMessage, waitForState } from './rooms.js';
import { joinAs, type SignedIn } from './auth.js';

/**
 * A session room joined as `who` (a new signed-in listener when none is given), once its welcome and
 * first station have arrived.
 */
export async function joinSession(
  baseUrl: string,
  options: Record<string, unknown> = {},
  who?: Pick<SignedIn, 'accessToken'>,
): Promise<{ room: Room; welcome: any; auth: Pick<SignedIn, 'accessToken'> }> {
  const { room, auth } = await joinAs(baseUrl, options, who);
  const welcome = await nextMessage(room, 'welcome');
  await waitForState(room, (s) => s.station.artistName !== '', 5000, 'initial station');
  return { room, welcome, auth };
}

/** Leaves without waiting on a connection that is already gone. */
export async function leaveQuietly(room: Room): Promise<void> {
  await Promise.race([room.leave(true).catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
}

/** `who` joins a session, captures each artist in order (waiting for each `captured`) and leaves: a constellation to test pages against. */
export async function captureStars(baseUrl: string, who: Pick<SignedIn, 'accessToken'>, artistIds: readonly string[]): Promise<void> {
  const { room } = await joinSession(baseUrl, {}, who);
  for (const artistId of artistIds) {
    const captured = nextMessage(room, 'captured');
    room.send('capture', { artistId });
    await captured;
  }
  await leaveQuietly(room);
}
