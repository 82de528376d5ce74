import { confHistoryFrame, parseConferenceChat, type HistoryPage } from '../../protocol/index.js';
import { readHistoryPage } from '../history-page.js';
import { conferenceKey, type HistoryStore } from '../store/history-store.js';
import type { ConferenceRouter } from './conference-router.js';
import type { Membership, Participant, Room } from './room.js';

type LogError = (error: unknown, message: string) => void;

/**
 * Relays a call's data, keeping it first when it is the chat element's message to everyone (see
 * relay-handlers.ts). Resolves once relayed.
 */
export type ChatKeeper = (room: Room, member: Participant, data: string, relay: () => void) => Promise<void>;

/**
 * A call's chat, kept: the chat element's messages to the whole room (its `sendData` format, see
 * the protocol's `parseConferenceChat`) go into the conference's history before they are relayed,
 * so whoever joins after the relay finds them with `conf.history`; other data passes untouched.
 * The history is the conference id's: a later call under the same id continues it (within the
 * app's retention). Only a participant of the call may read it (-35001 otherwise). Runs on the
 * node that owns the room, where its membership is. Files a message names are checked and claimed
 * as a send's are (history-store.ts); a message whose files fail keeps its words without them.
 */
export function registerChatHistory(
  router: ConferenceRouter,
  membership: Membership,
  history: () => HistoryStore,
  logError: LogError,
): ChatKeeper {
  router.on('conf.history', confHistoryFrame, (peer, frame): Promise<HistoryPage> => {
    const { member } = membership(peer, frame.conf);
    return readHistoryPage(history(), peer.appId, conferenceKey(frame.conf), member.uid, frame);
  });

  // Per room, kept messages are relayed in the order they were said, each after its write.
  const chains = new WeakMap<Room, Promise<void>>();
  return (room, member, data, relay) => {
    const chat = parseConferenceChat(data);
    if (!chat) {
      relay();
      return Promise.resolve();
    }
    const files = chat.files?.map((f) => ({ id: f.id, thumb: f.thumb }));
    const keep = history()
      .keepConferenceChat(room.appId, room.conf, chat.id, member.uid, chat.body, files)
      .then((kept) => {
        if (typeof kept === 'object')
          logError(new Error(kept.filesLeftOut), "a call chat message's files were left out");
      })
      // The call's chat still reaches those in it when the store fails.
      .catch((e: unknown) => logError(e, 'keeping a call chat message failed'));
    const done = (chains.get(room) ?? Promise.resolve()).then(() => keep).then(relay);
    chains.set(room, done);
    return done;
  };
}
