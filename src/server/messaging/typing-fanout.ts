import type { MsgTypingServerFrame } from '../../protocol/index.js';
import { userTopic, type Bus, type TypingSignal } from '../bus/index.js';
import { compositeKey } from '../composite-key.js';
import type { ClientConnection, ConnectionRegistry } from '../connections.js';

/**
 * Carries typing signals to the recipients' messaging connections, wherever they are: published on
 * each recipient's user topic (in-process on one node, Redis between nodes), taken off it by the
 * node holding the recipient's connections and sent to those at once. Nothing waits for a user
 * who is not connected: a signal nobody is subscribed to is gone.
 */
export class TypingFanout {
  /** Per user with a messaging connection here: its user-topic subscription, shared by its connections. */
  private readonly subscriptions = new Map<string, { connections: number; unsubscribe: () => void }>();

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly bus: Bus,
  ) {}

  publish(appId: string, from: string, to: readonly string[], typing: boolean): void {
    const signal: TypingSignal = { t: 'typing', from, typing };
    for (const uid of to) this.bus.publish(userTopic(appId, uid), signal);
  }

  open(connection: ClientConnection): void {
    if (!connection.messaging) return;
    const { appId, uid } = connection;
    const key = compositeKey(appId, uid);
    const subscription = this.subscriptions.get(key);
    if (subscription) {
      subscription.connections++;
      return;
    }
    const unsubscribe = this.bus.subscribe(userTopic(appId, uid), (m) => {
      if (m.t === 'typing') this.deliver(appId, uid, m);
    });
    this.subscriptions.set(key, { connections: 1, unsubscribe });
  }

  close(connection: ClientConnection): void {
    if (!connection.messaging) return;
    const key = compositeKey(connection.appId, connection.uid);
    const subscription = this.subscriptions.get(key);
    if (subscription && --subscription.connections === 0) {
      subscription.unsubscribe();
      this.subscriptions.delete(key);
    }
  }

  private deliver(appId: string, uid: string, signal: TypingSignal): void {
    const frame: MsgTypingServerFrame = { t: 'msg.typing', from: signal.from, typing: signal.typing };
    for (const connection of this.connections.forUser(appId, uid)) if (connection.messaging) connection.send(frame);
  }
}
