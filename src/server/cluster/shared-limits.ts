import type { Redis } from 'ioredis';
import { RateLimiter } from '../rate-limit.js';
import { REDIS_PREFIX } from './redis-bus.js';

/**
 * A token bucket per key that holds for the whole cluster: a client that spreads its requests over
 * several nodes gets no more than from one. Both methods answer the milliseconds to wait (0: go).
 */
export interface SharedRateLimiter {
  /** Takes one token. */
  takeMs(key: string): Promise<number>;
  /** What `takeMs` would answer, taking nothing. */
  peekMs(key: string): Promise<number>;
}

export type SharedRateLimiterFactory = (name: string, burst: number, perSecond: number) => SharedRateLimiter;

/** One node: the in-memory buckets. */
export function localRateLimiter(burst: number, perSecond: number): SharedRateLimiter {
  const buckets = new RateLimiter(burst, perSecond);
  return {
    takeMs: async (key) => buckets.takeMs(key),
    peekMs: async (key) => buckets.peek(key) * 1000,
  };
}

// The bucket lives in a hash (tokens, last refill) on Redis's own clock, so nodes' clocks need not agree.
// ARGV: burst, per second, take (1) or peek (0). Answers the milliseconds to wait.
const BUCKET_SCRIPT = `local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local wait = 0
if tokens >= 1 then
  if ARGV[3] == '1' then tokens = tokens - 1 end
else
  wait = math.max(1, math.ceil((1 - tokens) / rate * 1000))
end
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
end
return wait`;

/** Between nodes: the same bucket in Redis, one script call per request. */
export function redisRateLimiter(redis: Redis, name: string, burst: number, perSecond: number): SharedRateLimiter {
  const run = async (key: string, take: boolean) =>
    Number(await redis.eval(BUCKET_SCRIPT, 1, `${REDIS_PREFIX}rate:${name}:${key}`, burst, perSecond, take ? 1 : 0));
  return { takeMs: (key) => run(key, true), peekMs: (key) => run(key, false) };
}
