import type { Redis } from 'ioredis';
import { REDIS_PREFIX } from './redis-bus.js';

/** How long a room's lease lasts unless renewed, and how often its owner renews it. */
export const LEASE_MS = 10_000;
const RENEW_MS = 2_000;

// Each script compares the holder first, so a node never moves or drops a lease it no longer holds.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const TAKE_OVER_SCRIPT = `local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return ARGV[2] end
return holder`;

const leaseKey = (room: string) => `${REDIS_PREFIX}room:${room}`;

/**
 * Which node owns each conference: a Redis key per room holding the owner's node id, set only if
 * absent and renewed by the owner every 2 s while the room lives. A node that dies stops renewing;
 * the others find it gone on the bus at once and take the room over (compare and set), or the
 * lease lapses after 10 s.
 */
export class RoomLeases {
  private readonly owned = new Set<string>();
  private readonly lostListeners = new Set<(room: string) => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly node: string,
    private readonly logError: (error: unknown, message: string) => void,
  ) {
    this.timer = setInterval(() => void this.renew(), RENEW_MS);
    this.timer.unref();
  }

  /** The room's owner: this node when nobody held it (it does now), else the holder. */
  async claim(room: string): Promise<string> {
    const key = leaseKey(room);
    const taken = await this.redis.set(key, this.node, 'PX', LEASE_MS, 'NX');
    if (taken === 'OK') {
      this.owned.add(room);
      return this.node;
    }
    const holder = await this.redis.get(key);
    // Released between the two commands: try once more.
    if (holder === null) return this.claim(room);
    if (holder === this.node) this.owned.add(room);
    return holder;
  }

  /** Takes the room from `from`, a node found gone; returns the owner after (someone else may have been faster). */
  async takeOver(room: string, from: string): Promise<string> {
    const holder = String(await this.redis.eval(TAKE_OVER_SCRIPT, 1, leaseKey(room), from, this.node, LEASE_MS));
    if (holder === this.node) this.owned.add(room);
    return holder;
  }

  /** This node dropped the room (its last member left). */
  release(room: string): void {
    if (!this.owned.delete(room)) return;
    this.redis
      .eval(RELEASE_SCRIPT, 1, leaseKey(room), this.node)
      .catch((e: unknown) => this.logError(e, 'lease release'));
  }

  /** The node holding the room's lease now; undefined when none does (no such call, or its lease lapsed). */
  async holder(room: string): Promise<string | undefined> {
    return (await this.redis.get(leaseKey(room))) ?? undefined;
  }

  owns(room: string): boolean {
    return this.owned.has(room);
  }

  /** Runs when a room's lease was found held by another node (this one was cut off too long). */
  onLost(listener: (room: string) => void): void {
    this.lostListeners.add(listener);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    const rooms = [...this.owned];
    if (rooms.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const room of rooms) pipeline.eval(RENEW_SCRIPT, 1, leaseKey(room), this.node, LEASE_MS);
    let replies: [Error | null, unknown][];
    try {
      replies = (await pipeline.exec()) ?? [];
    } catch (e) {
      this.logError(e, 'lease renewal');
      return;
    }
    rooms.forEach((room, i) => {
      const [error, renewed] = replies[i] ?? [null, 1];
      if (error || Number(renewed) === 1 || !this.owned.has(room)) return;
      this.owned.delete(room);
      for (const listener of this.lostListeners) listener(room);
    });
  }
}
