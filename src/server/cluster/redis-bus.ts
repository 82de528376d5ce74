import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  nodeTopic,
  topicKey,
  type Bus,
  type BusHandler,
  type BusMessages,
  type BusTopic,
  type TopicOf,
} from '../bus/index.js';

type LogError = (error: unknown, message: string) => void;

/** Every channel and key of ours starts with this, so a Redis shared with other software stays apart. */
export const REDIS_PREFIX = 'oovoo:';
const CHANNEL_PREFIX = `${REDIS_PREFIX}bus:`;

const channelOf = (topic: BusTopic): string => CHANNEL_PREFIX + topicKey(topic);

/**
 * The bus between server nodes: Redis pub/sub, one channel per topic (a user, a room, a node), so
 * a message goes only to the nodes that subscribed. Pub/sub is at most once: a node that was not
 * subscribed (or whose connection was down) misses it; `onReconnect` tells the subscribers so they
 * re-read what lasts (inboxes) from the store. One connection publishes and runs commands, one
 * subscribes (Redis allows nothing else on a subscribed connection).
 */
export class RedisBus implements Bus {
  readonly node = randomUUID();
  readonly local = false;
  /** Publishes and runs commands for this node's cluster parts (presence, leases, limits). */
  readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, Set<(message: never) => void>>();
  /** SUBSCRIBE commands in flight or done, by channel. */
  private readonly subscribed = new Map<string, Promise<unknown>>();
  private readonly reconnectListeners = new Set<() => void>();
  private connectedOnce = false;
  private closed = false;

  private constructor(
    url: string,
    private readonly logError: LogError,
  ) {
    // Retry forever (the cluster needs Redis back), a little slower each time, at most every 2 s.
    const options = { retryStrategy: (times: number) => Math.min(50 * times, 2000), maxRetriesPerRequest: null };
    // Auto-pipelining: the commands of one event-loop turn (a batch's limits, presence, bells) go out in one write.
    this.redis = new Redis(url, {
      ...options,
      lazyConnect: true,
      enableAutoPipelining: true,
      connectionName: `oovoo-${this.node}`,
    });
    this.subscriber = new Redis(url, { ...options, lazyConnect: true, connectionName: `oovoo-sub-${this.node}` });
    this.redis.on('error', (e) => this.logError(e, 'redis'));
    this.subscriber.on('error', (e) => this.logError(e, 'redis subscriber'));
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.onMessage(channel.toString('utf8'), message.toString('utf8')),
    );
    this.subscriber.on('ready', () => {
      // ioredis subscribes again by itself; what was published meanwhile is gone.
      if (this.connectedOnce && !this.closed) for (const listener of [...this.reconnectListeners]) listener();
      this.connectedOnce = true;
    });
  }

  /** Connects both connections and subscribes to this node's own topic (its sign of life for the others). */
  static async open(url: string, logError: LogError): Promise<RedisBus> {
    const bus = new RedisBus(url, logError);
    try {
      await Promise.all([bus.redis.connect(), bus.subscriber.connect()]);
      bus.subscribeChannel(channelOf(nodeTopic(bus.node)));
      await bus.whenSubscribed(nodeTopic(bus.node));
    } catch (e) {
      bus.redis.disconnect();
      bus.subscriber.disconnect();
      throw new Error(`Redis at ${redactedUrl(url)} did not answer: ${(e as Error).message}`);
    }
    return bus;
  }

  publish<K extends BusTopic['kind']>(topic: TopicOf<K>, message: BusMessages[K]): void {
    this.redis
      .publish(channelOf(topic), JSON.stringify(message))
      .catch((e: unknown) => this.logError(e, 'bus publish'));
  }

  async publishToNode(node: string, message: BusMessages['node']): Promise<boolean> {
    return (await this.redis.publish(channelOf(nodeTopic(node)), JSON.stringify(message))) > 0;
  }

  subscribe<K extends BusTopic['kind']>(topic: TopicOf<K>, handler: BusHandler<K>): () => void {
    const key = channelOf(topic);
    let set = this.handlers.get(key);
    if (!set) {
      this.handlers.set(key, (set = new Set()));
      this.subscribeChannel(key);
    }
    const entry = (message: never) => handler(message);
    set.add(entry);
    return () => {
      const current = this.handlers.get(key);
      if (!current?.delete(entry) || current.size > 0) return;
      this.handlers.delete(key);
      // This node's own channel stays subscribed: it is how the others see this node alive.
      if (key === channelOf(nodeTopic(this.node))) return;
      this.subscribed.delete(key);
      if (!this.closed) this.subscriber.unsubscribe(key).catch((e: unknown) => this.logError(e, 'bus unsubscribe'));
    };
  }

  async whenSubscribed(topic: BusTopic): Promise<void> {
    await this.subscribed.get(channelOf(topic));
  }

  async listening(nodes: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(nodes)];
    if (unique.length === 0) return new Set();
    const reply = (await this.redis.call('PUBSUB', 'NUMSUB', ...unique.map((n) => channelOf(nodeTopic(n))))) as (
      string | number
    )[];
    const alive = new Set<string>();
    for (let i = 0; i < unique.length; i++) if (Number(reply[2 * i + 1]) > 0) alive.add(unique[i]!);
    return alive;
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.handlers.clear();
    await Promise.allSettled([this.subscriber.quit(), this.redis.quit()]);
  }

  private subscribeChannel(channel: string): void {
    const done = this.subscriber.subscribe(channel).catch((e: unknown) => this.logError(e, 'bus subscribe'));
    this.subscribed.set(channel, done);
  }

  private onMessage(channel: string, text: string): void {
    const set = this.handlers.get(channel);
    if (!set) return;
    let message: never;
    try {
      message = JSON.parse(text) as never;
    } catch (e) {
      this.logError(e, 'bus message is not JSON');
      return;
    }
    for (const handler of [...set]) {
      try {
        handler(message);
      } catch (e) {
        this.logError(e, 'bus subscriber failed');
      }
    }
  }
}

/** A Redis URL for a log: without its password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the given URL';
  }
}
