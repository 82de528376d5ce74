import { ConferenceFrames, ConferenceLimits, ErrorCode, type ConferenceServerFrame } from '../../protocol/index.js';
import { compositeKey } from '../composite-key.js';
import type { ConferenceRouter } from './conference-router.js';
import { RetryLaterError } from '../messaging/rate-limited-error.js';
import { RateLimiter } from '../rate-limit.js';
import type { Membership, Room } from './room.js';

type Broadcast = (room: Room, frame: ConferenceServerFrame, exceptUid?: string) => void;

/**
 * Raised hands and reactions: frames of their own (`sendData` belongs to the app), relayed to the
 * room. A raised hand is state the room keeps (later joiners see it in the participant list); a
 * reaction is a moment, bounded per participant because each one reaches every member.
 */
export function registerGestureHandlers(router: ConferenceRouter, membership: Membership, broadcast: Broadcast): void {
  const reactions = new RateLimiter(ConferenceLimits.reactionBurst, ConferenceLimits.reactionsPerSecond);
  router.on('conf.hand', ConferenceFrames.hand, (c, f) => {
    const { member, room } = membership(c, f.conf);
    if (member.hand !== f.raised) {
      member.hand = f.raised;
      broadcast(room, { t: 'conf.hand', conf: room.conf, uid: member.uid, raised: f.raised }, member.uid);
    }
    return {};
  });
  router.on('conf.reaction', ConferenceFrames.reaction, (c, f) => {
    const { member, room } = membership(c, f.conf);
    const waitMs = reactions.takeMs(compositeKey(room.appId, room.conf, member.uid));
    if (waitMs > 0)
      throw new RetryLaterError(ErrorCode.BadRequest, `Too many reactions; retry in ${waitMs} ms.`, waitMs);
    broadcast(room, { t: 'conf.reaction', conf: room.conf, uid: member.uid, reaction: f.reaction }, member.uid);
    return {};
  });
}
