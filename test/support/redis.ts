/** Shared with the benchmarks, which must not import test/. */
export { deleteKeysWithPrefix } from '../../bench/support/redis.js';
