/** Public API of the pure systems the SessionRoom calls (momentum, orbits, camera, constellation, badges). */
export * from './stations.js';
export * from './momentum.js';
export * from './orbits.js';
export * from './camera.js';
export * from './constellation.js';
export * from './badges.js';
