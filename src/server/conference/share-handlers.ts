import { ConferenceFrames, SCREEN_SHARE_TAKEN_CODE, type ConferenceServerFrame } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ConferenceRouter } from './conference-router.js';
import type { Membership, Room } from './room.js';

type Broadcast = (room: Room, frame: ConferenceServerFrame, exceptUid?: string) => void;

/**
 * Screen sharing (`conf.share`): room state like a raised hand (later joiners see it in the
 * participant list), but one sharer per room at a time: a second start is refused and changes
 * nothing. The media travels with the sharer's other media (a second video of its links or feed);
 * the conference service ends a share when its sharer leaves for good.
 */
export function registerShareHandlers(router: ConferenceRouter, membership: Membership, broadcast: Broadcast): void {
  router.on('conf.share', ConferenceFrames.share, (c, f) => {
    const { member, room } = membership(c, f.conf);
    if (member.share === f.active) return {};
    const sharer = f.active ? room.participants().find((p) => p.share) : undefined;
    if (sharer) {
      throw new ApiError(
        409,
        SCREEN_SHARE_TAKEN_CODE,
        `${JSON.stringify(sharer.uid.slice(0, 64))} shares a screen in this conference now: one share at a time.`,
      );
    }
    member.share = f.active;
    broadcast(room, { t: 'conf.share', conf: room.conf, uid: member.uid, active: f.active }, member.uid);
    return {};
  });
}
