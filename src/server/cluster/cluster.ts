import { InProcessBus, type Bus } from '../bus/index.js';
import { NodeQuestions } from './node-questions.js';
import { LocalPresence, RedisPresence, type ReceiverPresence } from './presence.js';
import { RedisBus } from './redis-bus.js';
import { RoomLeases } from './room-leases.js';
import { localRateLimiter, redisRateLimiter, type SharedRateLimiterFactory } from './shared-limits.js';

type LogError = (error: unknown, message: string) => void;

/**
 * What the server's parts share with the other nodes: the bus, room ownership, where users have a
 * messaging connection, and rate limits. One node (the default) keeps all of it in memory; with
 * `--redis` it lives in Redis, and every node of the cluster sees the same.
 */
export interface Cluster {
  readonly bus: Bus;
  /** Which node owns each conference; undefined on a single node, where this one owns them all. */
  readonly leases: RoomLeases | undefined;
  /** Questions to other nodes (node-questions.ts); undefined on a single node, which has every answer. */
  readonly questions: NodeQuestions | undefined;
  /** Rate-limit buckets that hold across the nodes. */
  readonly rateLimiter: SharedRateLimiterFactory;
  /** The push decision's view of messaging connections (`hasReceiver`: this node's own sockets). */
  presence(hasReceiver: (appId: string, uid: string) => boolean): ReceiverPresence;
  close(): Promise<void>;
}

/** The cluster parts for `redisUrl`, or the in-memory ones of a single node. `bus` stands in for the in-process bus (tests). */
export async function openCluster(redisUrl: string | undefined, logError: LogError, bus?: Bus): Promise<Cluster> {
  if (!redisUrl) {
    const local = bus ?? new InProcessBus(logError);
    return {
      bus: local,
      leases: undefined,
      questions: undefined,
      rateLimiter: (_name, burst, perSecond) => localRateLimiter(burst, perSecond),
      presence: (hasReceiver) => new LocalPresence(hasReceiver),
      close: async () => {
        if (!bus) await local.close();
      },
    };
  }
  const redisBus = await RedisBus.open(redisUrl, logError);
  const leases = new RoomLeases(redisBus.redis, redisBus.node, logError);
  const questions = new NodeQuestions(redisBus, logError);
  return {
    bus: redisBus,
    leases,
    questions,
    rateLimiter: (name, burst, perSecond) => redisRateLimiter(redisBus.redis, name, burst, perSecond),
    presence: () => new RedisPresence(redisBus.redis, redisBus, logError),
    close: async () => {
      leases.stop();
      questions.close();
      await redisBus.close();
    },
  };
}
