/** `ratePerSec` sustained, bursts up to `burst`. */
export interface TokenBucket {
  tokens: number;
  updatedAtMs: number;
}

export function createBucket(burst: number, nowMs: number): TokenBucket {
  return { tokens: burst, updatedAtMs: nowMs };
}

/** false means "rate limited". */
export function tryTake(bucket: TokenBucket, ratePerSec: number, burst: number, nowMs: number): boolean {
  const elapsedSec = Math.max(0, nowMs - bucket.updatedAtMs) / 1000;
  bucket.tokens = Math.min(burst, bucket.tokens + elapsedSec * ratePerSec);
  bucket.updatedAtMs = nowMs;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
