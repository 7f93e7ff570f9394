/** @deepstream/realtime-client: the typed session client and the generated message types. */
export * from './messages.js';
export * from './state.js';
export { SessionClient, JOIN_UNAUTHORIZED, MATCHMAKE_UNAUTHORIZED, SESSION_MESSAGE_TYPES, type AccessTokenSource, type ConnectionInfo, type ConnectionStatus, type SessionClientOptions, type SessionEvents, type TokenStore } from './SessionClient.js';
export { SDK_RECONNECTION, type SdkReconnection } from './SessionLink.js';
export { Backoff, jittered, retryAfterOf, type BackoffOptions } from './backoff.js';
export { afterClose, classifyJoinFailure, CLOSE, RESUME_FALLBACK_CODES, type JoinFailure } from './resumePolicy.js';
export { InputLog, type SequencedInput } from './InputLog.js';
export { InputPacer, type InputPacerOptions } from './InputPacer.js';
export { dialFrequencyAt, type DialView } from './glide.js';
export { DeviceAuth, newDeviceSecret, type DeviceAuthOptions } from './DeviceAuth.js';
