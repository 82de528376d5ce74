import {
  ConferenceFrames,
  ConferenceLimits,
  utf8Length,
  type ConferenceServerFrame,
  type DataRelayFrame,
} from '../../protocol/index.js';
import { ApiError } from '../api-error.js';
import type { ChatKeeper } from './chat-history.js';
import type { ConferenceRouter } from './conference-router.js';
import type { Membership, Participant, Room } from './room.js';

type Broadcast = (room: Room, frame: ConferenceServerFrame, exceptUid?: string) => void;

/** Another member of the room by uid; refuses the caller itself and a uid not in the room (-40000). */
export function otherMember(room: Room, member: Participant, uid: string): Participant {
  const target = uid === member.uid ? undefined : room.get(uid);
  if (!target)
    throw ApiError.badRequest(`There is no other participant ${JSON.stringify(uid.slice(0, 64))} in this conference.`);
  return target;
}

/**
 * What members relay to each other through the server: SDP and ICE to one member, video and
 * microphone state to the room, which videos a page wants, and the app's data. The server stamps
 * the sender (`from`, `uid`) from the connection, so nobody speaks for someone else.
 */
export function registerRelayHandlers(
  router: ConferenceRouter,
  membership: Membership,
  broadcast: Broadcast,
  keepChat?: ChatKeeper,
): void {
  router.on('conf.signal', ConferenceFrames.signal, (c, f) => {
    if (!f.description === !f.candidate)
      throw ApiError.badRequest('A signal carries exactly one of description or candidate.');
    const { member, room } = membership(c, f.conf);
    const target = otherMember(room, member, f.to);
    target.peer?.send({
      t: 'conf.signal',
      conf: room.conf,
      from: member.uid,
      ...(f.description ? { description: f.description } : {}),
      ...(f.candidate ? { candidate: f.candidate } : {}),
    });
    return { delivered: target.peer !== undefined };
  });
  router.on('conf.video', ConferenceFrames.video, (c, f) => {
    const { member, room } = membership(c, f.conf);
    member.video = f.state;
    broadcast(room, { t: 'conf.video', conf: room.conf, uid: member.uid, state: f.state }, member.uid);
    return {};
  });
  router.on('conf.audio', ConferenceFrames.audio, (c, f) => {
    const { member, room } = membership(c, f.conf);
    member.muted = f.muted;
    broadcast(room, { t: 'conf.audio', conf: room.conf, uid: member.uid, muted: f.muted }, member.uid);
    return {};
  });
  router.on('conf.receive', ConferenceFrames.receive, async (c, f) => {
    const { member, room } = membership(c, f.conf);
    const target = otherMember(room, member, f.to);
    // On the SFU the server stops forwarding that video itself; in a mesh the sender withholds it.
    if (room.mode === 'sfu') (await room.sfu)?.setReceive(member.uid, target.uid, f.video);
    else target.peer?.send({ t: 'conf.receive', conf: room.conf, from: member.uid, video: f.video });
    return {};
  });
  router.on('conf.data', ConferenceFrames.data, async (c, f) => {
    if (utf8Length(f.data) > ConferenceLimits.maxDataBytes) {
      throw ApiError.badRequest(`Data is larger than ${ConferenceLimits.maxDataBytes} bytes.`);
    }
    const { member, room } = membership(c, f.conf);
    const frame: DataRelayFrame = { t: 'conf.data', conf: room.conf, from: member.uid, data: f.data };
    if (f.to !== '') otherMember(room, member, f.to).peer?.send(frame);
    // To everyone: the chat element's messages are kept (chat-history.ts) before they go.
    else if (keepChat) await keepChat(room, member, f.data, () => broadcast(room, frame, member.uid));
    else broadcast(room, frame, member.uid);
    return {};
  });
}
