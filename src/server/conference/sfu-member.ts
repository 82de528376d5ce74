// The server's record of one member of an SFU room: its Janus handles and what its page asked for.
import type { TrickleCandidate } from '../sfu/janus-messages.js';
import type { VideoRoomPublisher, VideoRoomSubscriber } from '../sfu/videoroom.js';

export interface Member {
  readonly uid: string;
  readonly feedId: number;
  publisher: VideoRoomPublisher | undefined;
  /** Its media reached Janus: others may subscribe to its feed. */
  publishing: boolean;
  /** A publisher offer is being negotiated. */
  negotiating: boolean;
  /** The mids of its publisher's video streams, in order: the camera, then (once it shared) its screen. */
  videoMids: string[];
  /** A subscriber ICE restart is queued or running. */
  restarting: boolean;
  /** Per publisher uid: the settings last sent to Janus, so an unchanged hint costs no request. */
  readonly applied: Map<string, string>;
  subscriber: VideoRoomSubscriber | undefined;
  /** Its subscriber handle is being made (the join is queued or running). */
  joining: boolean;
  /** Feeds for the next subscriber update: feeds that come while another change runs share one offer. */
  waitingFeeds: number[] | undefined;
  /** Publisher and subscriber candidates that came before their handle existed. */
  readonly early: { publisher: TrickleCandidate[]; subscriber: TrickleCandidate[] };
  /** Subscriber changes run one at a time: each offer is answered (start) before the next change. */
  queue: Promise<void>;
  /** Resolves the offer in flight with the page's answer. */
  answer: ((sdp: string) => void) | undefined;
  /** Per publisher uid: the layer this page asked for by its tile height, and whether it wants video at all. */
  readonly wants: Map<string, { layer?: number; video: boolean }>;
  /** Per publisher uid: layers given up on Janus's slow_link reports. */
  readonly stepDown: Map<string, number>;
}

/** A member that has not published or subscribed yet. */
export function newMember(uid: string, feedId: number): Member {
  return {
    uid,
    feedId,
    publisher: undefined,
    publishing: false,
    negotiating: false,
    videoMids: [],
    restarting: false,
    applied: new Map(),
    subscriber: undefined,
    joining: false,
    waitingFeeds: undefined,
    early: { publisher: [], subscriber: [] },
    queue: Promise.resolve(),
    answer: undefined,
    wants: new Map(),
    stepDown: new Map(),
  };
}
