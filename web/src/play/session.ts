/** The session connection lives in the client package (clients/ts); the web player uses it as is. */
export { Backoff, SessionClient, type SessionEvents } from '../../../clients/ts/src/index.js';
