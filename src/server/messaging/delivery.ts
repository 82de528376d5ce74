import type { FastifyBaseLogger } from 'fastify';
import { MessagingLimits, type InboxEntryWire, type MsgDeliverFrame } from '../../protocol/index.js';
import type { ClientConnection, ConnectionRegistry } from '../connections.js';
import type { InboxEntry, MessagingStore, StoredDelivery } from '../store/messaging-types.js';
import { compositeKey } from '../composite-key.js';
import { userTopic, type Bus } from '../bus/index.js';

interface ConnectionState {
  /** Caught up with the stored inbox: new entries go out as they commit. */
  live: boolean;
  /** An entry committed while catching up: read the inbox once more before going live. */
  missed: boolean;
  /** The last seq sent on this connection; nothing at or below it is sent again. */
  lastSeq: number;
  /** Entries another connection took at or after this (ms) may not have reached this one: they are read too. */
  takenSince: number;
  closed: boolean;
}

export function toWire(entry: InboxEntry): InboxEntryWire {
  if (entry.kind === 'deleted')
    return { kind: 'deleted', id: entry.id, msg_id: entry.msgId, from: entry.from, ts: entry.createdAt };
  return entry.kind === 'message'
    ? {
        kind: 'message',
        id: entry.id,
        msg_id: entry.msgId,
        from: entry.from,
        body: entry.body,
        ts: entry.createdAt,
        ...(entry.files ? { files: entry.files } : {}),
      }
    : { kind: 'receipt', id: entry.id, msg_id: entry.msgId, from: entry.from, state: entry.state, ts: entry.createdAt };
}

/** How far apart the clocks of two nodes may be (an entry's taking time against a connection's opening). */
const CLOCK_MARGIN_MS = 2_000;

/**
 * Puts inbox entries on every messaging connection of their recipient, in seq order. Committed
 * entries travel on the recipient's user topic of the bus; each connection here takes them from
 * there. A new connection first reads its user's pending entries in pages, then goes live;
 * entries that commit meanwhile are picked up by the read, never lost or sent out of order.
 * Between nodes the topic carries a bell without the entries: bells of two nodes' commits may
 * arrive in either order, and one may be lost, so a rung connection reads its inbox from where it
 * is (the store numbers entries in commit order), and every connection reads again after the bus
 * was cut. An entry one connection took stays readable a while (inbox-received.ts): a read of
 * another connection, open before the taking, still finds it.
 */
export class DeliveryFanout {
  private readonly states = new Map<ClientConnection, ConnectionState>();
  /** Per user with a messaging connection here: its user-topic subscription, shared by its connections. */
  private readonly subscriptions = new Map<string, { connections: number; unsubscribe: () => void }>();

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly store: MessagingStore,
    private readonly bus: Bus,
    private readonly log: FastifyBaseLogger,
  ) {
    bus.onReconnect(() => {
      for (const [connection, state] of this.states) this.readAgain(connection, state);
    });
  }

  /** True when the user has a connection that receives messages. */
  hasReceiver(appId: string, uid: string): boolean {
    for (const connection of this.connections.forUser(appId, uid)) if (connection.messaging) return true;
    return false;
  }

  open(connection: ClientConnection): void {
    if (!connection.messaging) return;
    // Between nodes the time an entry was taken is another machine's clock.
    const takenSince = Date.now() - (this.bus.local ? 0 : CLOCK_MARGIN_MS);
    const state: ConnectionState = { live: false, missed: false, lastSeq: 0, takenSince, closed: false };
    this.states.set(connection, state);
    // Subscribed before the first read, so nothing that commits from here on passes unseen.
    const key = compositeKey(connection.appId, connection.uid);
    const { appId, uid } = connection;
    const subscription = this.subscriptions.get(key);
    if (subscription) subscription.connections++;
    else {
      const unsubscribe = this.bus.subscribe(userTopic(appId, uid), (m) => {
        // Typing signals share the user topic; they never touch the inbox.
        if (m.t === 'inbox') this.deliver(appId, uid, m.entries);
      });
      this.subscriptions.set(key, { connections: 1, unsubscribe });
    }
    this.bus.whenSubscribed(userTopic(appId, uid)).then(
      () => this.catchUp(connection, state),
      () => this.catchUp(connection, state),
    );
  }

  close(connection: ClientConnection): void {
    const state = this.states.get(connection);
    if (!state) return;
    state.closed = true;
    this.states.delete(connection);
    const key = compositeKey(connection.appId, connection.uid);
    const subscription = this.subscriptions.get(key);
    if (subscription && --subscription.connections === 0) {
      subscription.unsubscribe();
      this.subscriptions.delete(key);
    }
  }

  private async catchUp(connection: ClientConnection, state: ConnectionState): Promise<void> {
    try {
      for (;;) {
        state.missed = false;
        const page = await this.store.pending(
          connection.appId,
          connection.uid,
          state.lastSeq,
          MessagingLimits.pageSize,
          state.takenSince,
        );
        if (state.closed) return;
        if (page.length > 0) {
          this.sendEntries(connection, page);
          state.lastSeq = page[page.length - 1]!.seq;
          // Let the reader take this page before reading the next: a large inbox must not fill its send buffer.
          await connection.drained();
          if (state.closed) return;
        }
        if (page.length < MessagingLimits.pageSize && !state.missed) {
          state.live = true;
          return;
        }
      }
    } catch (e) {
      this.log.error(
        { err: e instanceof Error ? e.message : String(e), connection: connection.id },
        'reading the inbox failed',
      );
      // The client reconnects and reads again.
      connection.close(1011, 'inbox unavailable');
    }
  }

  /** Entries just committed, in seq order: each recipient's go out on its user topic. */
  publish(deliveries: readonly StoredDelivery[]): void {
    const byUser = new Map<string, StoredDelivery[]>();
    for (const d of deliveries) {
      const k = compositeKey(d.appId, d.uid);
      let list = byUser.get(k);
      if (!list) byUser.set(k, (list = []));
      list.push(d);
    }
    for (const list of byUser.values()) {
      const { appId, uid } = list[0]!;
      this.bus.publish(
        userTopic(appId, uid),
        this.bus.local ? { t: 'inbox', entries: list.map((d) => d.entry) } : { t: 'inbox' },
      );
    }
  }

  /**
   * Rings the bell of users whose entries an earlier commit may have stored without ringing: a
   * retried send or receipt that the store answered as already done. Between nodes the node that
   * committed it may have died before its bell went out (the retry is how the client learns of
   * that), and a live connection would not read its inbox again until the next bell. On one node
   * the commit's own publish reached every connection before the first answer: nothing to do.
   */
  ring(appId: string, uids: readonly string[]): void {
    if (this.bus.local) return;
    for (const uid of new Set(uids)) this.bus.publish(userTopic(appId, uid), { t: 'inbox' });
  }

  /** One user's new entries (or a bell), from the bus: onto each of the user's connections here that is caught up. */
  private deliver(appId: string, uid: string, entries: readonly InboxEntry[] | undefined): void {
    for (const connection of this.connections.forUser(appId, uid)) {
      const state = this.states.get(connection);
      if (!state) continue;
      if (!state.live || !entries) {
        this.readAgain(connection, state);
        continue;
      }
      const fresh = entries.filter((e) => e.seq > state.lastSeq);
      if (fresh.length === 0) continue;
      this.sendEntries(connection, fresh);
      state.lastSeq = fresh[fresh.length - 1]!.seq;
    }
  }

  /** Reads the inbox from where the connection is; one read already under way reads once more. */
  private readAgain(connection: ClientConnection, state: ConnectionState): void {
    if (state.closed) return;
    if (!state.live) {
      state.missed = true;
      return;
    }
    state.live = false;
    void this.catchUp(connection, state);
  }

  private sendEntries(connection: ClientConnection, entries: readonly InboxEntry[]): void {
    for (let i = 0; i < entries.length; i += MessagingLimits.pageSize) {
      const frame: MsgDeliverFrame = {
        t: 'msg.deliver',
        entries: entries.slice(i, i + MessagingLimits.pageSize).map(toWire),
      };
      connection.send({ ...frame });
    }
  }
}
