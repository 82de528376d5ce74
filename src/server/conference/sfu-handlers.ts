import { ErrorCode, SfuFrames } from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ConferenceRouter } from './conference-router.js';
import type { Peer } from '../peer.js';
import type { Membership } from './room.js';
import type { SfuMedia } from './sfu-media.js';
import type { SfuRoom } from './sfu-room.js';

/**
 * The `conf.sfu.*` frames: a member's publisher offer and subscriber answers, its ICE candidates,
 * its layer hints and restarts, each for the room's current epoch (a stale one is refused).
 */
export function registerSfuHandlers(router: ConferenceRouter, sfu: SfuMedia, membership: Membership): void {
  const sfuOf = async (peer: Peer, conf: string, epoch: number): Promise<{ room: SfuRoom; uid: string }> => {
    const { room, member } = membership(peer, conf);
    try {
      return { room: await sfu.of(room, epoch), uid: member.uid };
    } catch {
      throw ApiError.badRequest(`This conference has no SFU media of epoch ${epoch} now.`);
    }
  };
  router.on('conf.sfu.publish', SfuFrames.publish, async (c, f) => {
    const { room, uid } = await sfuOf(c, f.conf, f.epoch);
    try {
      return { sdp: await room.publish(uid, f.sdp) };
    } catch (e) {
      throw new ApiError(502, ErrorCode.UnspecifiedError, `The SFU refused the offer: ${String(e).slice(0, 200)}`);
    }
  });
  router.on('conf.sfu.answer', SfuFrames.answer, async (c, f) => {
    const { room, uid } = await sfuOf(c, f.conf, f.epoch);
    try {
      room.answer(uid, f.sdp);
    } catch (e) {
      throw ApiError.badRequest(String((e as Error).message));
    }
    return {};
  });
  router.on('conf.sfu.candidate', SfuFrames.candidate, async (c, f) => {
    const { room, uid } = await sfuOf(c, f.conf, f.epoch);
    room.candidate(uid, f.target, f.candidate ?? { completed: true });
    return {};
  });
  router.on('conf.sfu.quality', SfuFrames.quality, async (c, f) => {
    const { room, member } = membership(c, f.conf);
    const sfuRoom = room.mode === 'sfu' ? await room.sfu?.catch(() => undefined) : undefined;
    sfuRoom?.setQuality(member.uid, f.uid, f.maxHeight);
    return {};
  });
  router.on('conf.sfu.restart', SfuFrames.restart, async (c, f) => {
    const { room, uid } = await sfuOf(c, f.conf, f.epoch);
    room.restart(uid);
    return {};
  });
}
