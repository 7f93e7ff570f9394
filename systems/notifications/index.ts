export * from './notices.js';
export * from './push.js';
export * from './inbox.js';
