export * from './events.js';
export * from './payloads.js';
export * from './validate.js';
export * from './build.js';
export * from './periods.js';
export * from './offline.js';
export * from './bind.js';
