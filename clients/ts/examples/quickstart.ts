// Sign in a device, join a listening session, tune, and capture the station as a star.
// Run against a server: DEEPSTREAM_URL=http://127.0.0.1:2567 node quickstart.js
import { DeviceAuth, SessionClient, type CapturedMessage, type WelcomeMessage } from '@deepstream/realtime-client';

const baseUrl = process.env.DEEPSTREAM_URL ?? 'http://127.0.0.1:2567';
const auth = new DeviceAuth({ baseUrl, deviceModel: 'quickstart' }); // the secret is kept in memory here
const session = new SessionClient(baseUrl);

const welcome = new Promise<WelcomeMessage>((resolve) => session.on('welcome', resolve));
const captured = new Promise<CapturedMessage>((resolve) => session.on('captured', resolve));
session.on('error', (e) => console.error(`server error ${e.code}: ${e.message}`));

await session.connect({ deviceModel: 'quickstart', appVersion: '1.0.0' }, auth);
const hello = await welcome;
console.log(JSON.stringify({ event: 'welcome', userId: auth.userId, sessionId: hello.sessionId }));
session.tune(99.9);
session.capture();
const star = await captured;
console.log(JSON.stringify({ event: 'captured', artistId: star.star.artistId, totalStars: star.totalStars }));
await session.leave();
