/**
 * Frames of conferences whose media goes through the SFU (Janus, driven by our server). The page
 * never sees a Janus id: it sends its publisher offer and gets the answer, and answers the
 * subscriber offers the server sends, each naming which user and kind every stream (`mid`) carries.
 * `epoch` names one media setup of the room: it rises when the room moves to the SFU or is rebuilt,
 * and a frame of another epoch is stale.
 */
import { Limits } from './constants.js';
import { ConferenceLimits } from './conference.js';
import { literal, num, object, oneOf, optional, str } from './schema.js';

export type ConferenceMode = 'mesh' | 'sfu';

const confId = str({ min: 1, max: ConferenceLimits.maxConferenceIdLength });
const requestId = optional(str({ min: 1, max: 64 }));
const epoch = num({ min: 0, max: 2 ** 31, integer: true });
const sdp = str({ min: 1, max: ConferenceLimits.maxSdpLength });

/** Client → server frames of the SFU. */
export const SfuFrames = {
  /** The publisher connection's offer (the first, or an ICE restart); the ack's result is the answer. */
  publish: object({ t: literal('conf.sfu.publish'), id: requestId, conf: confId, epoch, sdp }),
  /** The answer to the server's latest `conf.sfu.offer`. */
  answer: object({ t: literal('conf.sfu.answer'), id: requestId, conf: confId, epoch, sdp }),
  /** A local ICE candidate of the publisher or subscriber connection; none (absent) ends gathering. */
  candidate: object({
    t: literal('conf.sfu.candidate'),
    id: requestId,
    conf: confId,
    epoch,
    target: oneOf(['publisher', 'subscriber']),
    candidate: optional(
      object({
        candidate: str({ max: ConferenceLimits.maxCandidateLength }),
        sdpMid: optional(str({ max: 64 })),
        sdpMLineIndex: optional(num({ min: 0, max: 1024, integer: true })),
        usernameFragment: optional(str({ max: 256 })),
      }),
    ),
  }),
  /** The tallest this page shows a participant's video (0: not shown); the server picks the layer. */
  quality: object({
    t: literal('conf.sfu.quality'),
    id: requestId,
    conf: confId,
    uid: str({ min: 1, max: Limits.maxUserIdLength }),
    maxHeight: num({ min: 0, max: 8192, integer: true }),
  }),
  /** Asks for a fresh subscriber offer with new ICE credentials (after the network changed). */
  restart: object({ t: literal('conf.sfu.restart'), id: requestId, conf: confId, epoch }),
} as const;

/** The `result` of an acknowledged `conf.sfu.publish`. */
export interface SfuPublishResult {
  readonly sdp: string;
}

/** One stream of the subscriber connection: whose it is and what it carries. */
export interface SfuStreamInfo {
  readonly mid: string;
  readonly uid: string;
  readonly kind: 'audio' | 'video';
  /** Video only: the participant's camera, or the screen it shares (a second video stream of its feed). */
  readonly source?: 'camera' | 'screen';
}

/** Server → client: the room's media moved (mesh → SFU) or was rebuilt (a new epoch). */
export interface ConferenceModeFrame {
  readonly t: 'conf.mode';
  readonly conf: string;
  readonly mode: ConferenceMode;
  readonly epoch: number;
}

/** Server → client: an offer for the subscriber connection, to answer with `conf.sfu.answer`. */
export interface SfuOfferFrame {
  readonly t: 'conf.sfu.offer';
  readonly conf: string;
  readonly epoch: number;
  readonly sdp: string;
  /** Every stream the connection carries after this offer. */
  readonly streams: readonly SfuStreamInfo[];
}

/** Server → client: the SFU is unavailable for this room; media stops until a `conf.mode` rebuilds it. */
export interface SfuUnavailableFrame {
  readonly t: 'conf.sfu.unavailable';
  readonly conf: string;
  readonly epoch: number;
}

export type SfuServerFrame = ConferenceModeFrame | SfuOfferFrame | SfuUnavailableFrame;
