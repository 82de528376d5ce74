import { randomUUID } from 'node:crypto';
import { nodeTopic, type Bus, type BusMessages } from '../bus/index.js';

type LogError = (error: unknown, message: string) => void;

/** Each kind of question one node may ask another: what is asked and what comes back (plain JSON). */
export interface NodeQuestionKinds {
  /** Is `uid` in conference `conf` of app `appId` now? Asked of the node holding the call (files/file-access.ts). */
  'conf.member': { question: { appId: string; conf: string; uid: string }; answer: boolean };
}

export type NodeQuestionKind = keyof NodeQuestionKinds;
type Question<K extends NodeQuestionKind> = NodeQuestionKinds[K]['question'];
type Answer<K extends NodeQuestionKind> = NodeQuestionKinds[K]['answer'];

/**
 * Why a question got no answer: `timeout` (none in time), `unreachable` (the node is not on the
 * bus), `busy` (too many of this node's questions wait already), `refused` (the node could not
 * answer: no answerer for the kind, or it failed), `closed` (this node is stopping).
 */
export class NodeQuestionError extends Error {
  constructor(
    readonly reason: 'timeout' | 'unreachable' | 'busy' | 'refused' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'NodeQuestionError';
  }
}

export interface NodeQuestionOptions {
  /** How long a question waits for its answer. Default 3 s. */
  readonly timeoutMs?: number;
  /** How many of this node's questions may wait at once; past that one fails at once (`busy`). Default 256. */
  readonly maxInFlight?: number;
}

interface Pending {
  resolve(answer: unknown): void;
  reject(error: NodeQuestionError): void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Questions between server nodes over the bus, for what only one node knows (a call's members are
 * known on the node holding it). A question goes to the node's topic with an id and this node's
 * name; the answering node replies from its own state alone, on the asking node's topic. Pub/sub
 * is at most once, so every question has a deadline; and a bounded number wait at once, so a slow
 * or silent node cannot pile them up. Only between nodes: on one node everything is at hand.
 */
export class NodeQuestions {
  private readonly pending = new Map<string, Pending>();
  private readonly answerers = new Map<string, (question: never) => unknown>();
  private readonly unsubscribe: () => void;
  private readonly timeoutMs: number;
  private readonly maxInFlight: number;
  private closed = false;

  constructor(
    private readonly bus: Bus,
    private readonly logError: LogError,
    options: NodeQuestionOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.maxInFlight = options.maxInFlight ?? 256;
    this.unsubscribe = bus.subscribe(nodeTopic(bus.node), (m) => this.onMessage(m));
  }

  /** This node's name on the bus. */
  get node(): string {
    return this.bus.node;
  }

  /** How this node answers a kind of question (one answerer per kind; a later one replaces it). */
  answer<K extends NodeQuestionKind>(
    kind: K,
    answerer: (question: Question<K>) => Answer<K> | Promise<Answer<K>>,
  ): void {
    this.answerers.set(kind, answerer as (question: never) => unknown);
  }

  /** Asks `node`; rejects with a {@link NodeQuestionError} when no answer comes. */
  ask<K extends NodeQuestionKind>(node: string, kind: K, question: Question<K>): Promise<Answer<K>> {
    if (this.closed) return Promise.reject(new NodeQuestionError('closed', 'this node is stopping'));
    if (this.pending.size >= this.maxInFlight)
      return Promise.reject(new NodeQuestionError('busy', `${this.maxInFlight} questions to other nodes wait already`));
    const id = randomUUID();
    const answered = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => this.settle(id, new NodeQuestionError('timeout', `node ${node} did not answer in ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
    });
    const unreachable = (why: string) => this.settle(id, new NodeQuestionError('unreachable', why));
    this.bus.publishToNode(node, { t: 'node.ask', id, from: this.bus.node, kind, question }).then(
      (heard) => heard || unreachable(`node ${node} is not on the bus`),
      (e: unknown) => unreachable(`the bus did not take the question: ${(e as Error).message}`),
    );
    return answered as Promise<Answer<K>>;
  }

  /** Stops answering; questions still waiting fail (`closed`). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const id of [...this.pending.keys()])
      this.settle(id, new NodeQuestionError('closed', 'this node is stopping'));
  }

  private settle(id: string, outcome: { answer: unknown } | NodeQuestionError): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (outcome instanceof NodeQuestionError) pending.reject(outcome);
    else pending.resolve(outcome.answer);
  }

  private onMessage(message: BusMessages['node']): void {
    if (message.t === 'node.answer') {
      this.settle(
        message.id,
        message.error === undefined
          ? { answer: message.answer }
          : new NodeQuestionError('refused', `the node did not answer: ${message.error}`),
      );
    } else if (message.t === 'node.ask' && !this.closed) void this.reply(message);
  }

  private async reply(message: Extract<BusMessages['node'], { t: 'node.ask' }>): Promise<void> {
    const answerer = this.answerers.get(message.kind);
    let reply: BusMessages['node'];
    try {
      if (!answerer) throw new Error(`no answer for ${String(message.kind).slice(0, 40)}`);
      reply = { t: 'node.answer', id: message.id, answer: await answerer(message.question as never) };
    } catch (e) {
      reply = { t: 'node.answer', id: message.id, error: (e as Error).message ?? String(e) };
    }
    // The asker gone meanwhile is no error: its question simply ends.
    await this.bus
      .publishToNode(message.from, reply)
      .catch((e: unknown) => this.logError(e, 'answering a node failed'));
  }
}
