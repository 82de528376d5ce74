import { randomUUID } from 'node:crypto';
import { topicKey, type Bus, type BusHandler, type BusMessages, type BusTopic, type TopicOf } from './bus.js';

type LogError = (error: unknown, message: string) => void;

/**
 * The bus of a single node: a publish reaches this process's subscribers of the topic at once, in
 * the order published. A subscriber that throws is logged and does not stop the others.
 */
export class InProcessBus implements Bus {
  readonly node: string;
  readonly local = true;
  private readonly handlers = new Map<string, Set<(message: never) => void>>();

  constructor(
    private readonly logError: LogError,
    node: string = randomUUID(),
  ) {
    this.node = node;
  }

  publish<K extends BusTopic['kind']>(topic: TopicOf<K>, message: BusMessages[K]): void {
    const set = this.handlers.get(topicKey(topic));
    if (!set) return;
    // A copy: a handler may subscribe or unsubscribe while this runs.
    for (const handler of [...set]) {
      try {
        (handler as BusHandler<K>)(message);
      } catch (e) {
        this.logError(e, `bus subscriber of ${topic.kind} failed`);
      }
    }
  }

  async publishToNode(node: string, message: BusMessages['node']): Promise<boolean> {
    const topic = { kind: 'node', node } as const;
    if (!this.handlers.has(topicKey(topic))) return false;
    this.publish(topic, message);
    return true;
  }

  async whenSubscribed(): Promise<void> {}

  async listening(nodes: readonly string[]): Promise<Set<string>> {
    return new Set(nodes.filter((n) => n === this.node));
  }

  onReconnect(): () => void {
    // Nothing between here and the subscribers can break.
    return () => {};
  }

  subscribe<K extends BusTopic['kind']>(topic: TopicOf<K>, handler: BusHandler<K>): () => void {
    const key = topicKey(topic);
    let set = this.handlers.get(key);
    if (!set) this.handlers.set(key, (set = new Set()));
    // Wrapped, so the same function subscribed twice is two subscriptions with their own unsubscribe.
    const entry = (message: never) => handler(message);
    set.add(entry);
    return () => {
      const current = this.handlers.get(key);
      if (!current?.delete(entry)) return;
      if (current.size === 0) this.handlers.delete(key);
    };
  }

  /** Topics with at least one subscriber (for tests: nothing is left behind). */
  get topicCount(): number {
    return this.handlers.size;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
