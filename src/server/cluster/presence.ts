import type { Redis } from 'ioredis';
import { compositeKey } from '../composite-key.js';
import type { Bus } from '../bus/index.js';
import { REDIS_PREFIX } from './redis-bus.js';

/**
 * Where users have a messaging connection open: the push decision ("no messaging connection
 * anywhere") asks here. On one node that is the local sockets; between nodes, Redis.
 */
export interface ReceiverPresence {
  /** A messaging connection of the user opened (+1) or closed (-1) on this node. */
  change(appId: string, uid: string, delta: 1 | -1): void;
  /** Which of these users have a messaging connection on some node that is alive. */
  receivers(appId: string, uids: readonly string[]): Promise<Set<string>>;
}

/** On one node: the registry of its own sockets answers. */
export class LocalPresence implements ReceiverPresence {
  constructor(private readonly hasReceiver: (appId: string, uid: string) => boolean) {}

  change(): void {}

  async receivers(appId: string, uids: readonly string[]): Promise<Set<string>> {
    return new Set(uids.filter((uid) => this.hasReceiver(appId, uid)));
  }
}

const CHANGE_SCRIPT = `local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return n`;

const presenceKey = (appId: string, uid: string) => `${REDIS_PREFIX}presence:${compositeKey(appId, uid)}`;

/**
 * Between nodes: a hash per user, one field per node holding its count of that user's messaging
 * connections. A node that died leaves its fields behind; they count only while the node listens
 * on the bus, and whoever finds one of a dead node removes it.
 */
export class RedisPresence implements ReceiverPresence {
  constructor(
    private readonly redis: Redis,
    private readonly bus: Bus,
    private readonly logError: (error: unknown, message: string) => void,
  ) {}

  change(appId: string, uid: string, delta: 1 | -1): void {
    const key = presenceKey(appId, uid);
    const node = this.bus.node;
    // One script: a decrement to 0 and the removal of the field must not let an increment slip between them.
    this.redis.eval(CHANGE_SCRIPT, 1, key, node, delta).catch((e: unknown) => {
      // A node shutting down closes Redis before its sockets; its fields stop counting once it stops listening.
      if (this.redis.status !== 'end') this.logError(e, 'presence update');
    });
  }

  async receivers(appId: string, uids: readonly string[]): Promise<Set<string>> {
    if (uids.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const uid of uids) pipeline.hgetall(presenceKey(appId, uid));
    const replies = (await pipeline.exec()) ?? [];
    const fields = uids.map((_, i) => {
      const [error, value] = replies[i] ?? [new Error('no reply')];
      if (error) throw error;
      return Object.entries((value ?? {}) as Record<string, string>).filter(([, count]) => Number(count) > 0);
    });
    const alive = await this.bus.listening(fields.flat().map(([node]) => node));
    const present = new Set<string>();
    uids.forEach((uid, i) => {
      for (const [node] of fields[i]!) {
        if (alive.has(node)) present.add(uid);
        else this.redis.hdel(presenceKey(appId, uid), node).catch((e: unknown) => this.logError(e, 'presence sweep'));
      }
    });
    return present;
  }
}
