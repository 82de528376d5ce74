/**
 * How media travels between participants, behind one seam: the conference session makes a topology
 * with the factory the join result's `mode` names, feeds it the conference's frames and talks to
 * the server through the session: the mesh (one RTCPeerConnection per remote) or the SFU (one
 * publisher and one subscriber connection through Janus, driven by the server).
 */
import type { ConferenceServerFrame } from '../../protocol/index.js';
import type { RequestFrame, RequestOptions } from '../signaling/requests.js';
import type { MediaStats, UplinkStats } from './media-stats.js';

/** Which of a participant's videos a track or a stats reading is: its camera, or the screen it shares. */
export type VideoSource = 'camera' | 'screen';

export interface SignalPayload {
  readonly description?: { readonly type: 'offer' | 'answer'; readonly sdp: string };
  readonly candidate?: RTCIceCandidateInit;
}

/** What a topology gets from the conference session. */
export interface TopologyContext {
  readonly selfUid: string;
  /** A request in this conference (the session adds `conf`); durable ones wait out reconnects. */
  request(frame: RequestFrame, options?: RequestOptions): Promise<unknown>;
  /** A frame in this conference, best effort (false when not connected). */
  send(frame: RequestFrame): boolean;
  /** A remote participant's track arrived (or replaced the previous one of its kind and source). */
  track(uid: string, track: MediaStreamTrack, source: VideoSource): void;
}

export interface MediaTopology {
  /** ICE servers and policy for links made from now on. */
  configure(iceServers: RTCIceServer[], policy: RTCIceTransportPolicy): void;
  /** The local stream whose tracks are sent. */
  setLocalStream(stream: MediaStream): void;
  /** A remote participant to exchange media with (again, after a fresh rejoin); the initiator offers first. */
  addParticipant(uid: string, initiator: boolean): void;
  removeParticipant(uid: string): void;
  /** Every frame of the conference: a topology takes the ones that concern media and ignores the rest. */
  handleFrame(frame: ConferenceServerFrame): void;
  /** Whether this participant transmits video at all (VideoController.start/stopTransmit). */
  setTransmitting(enabled: boolean): void;
  /** Sends this new local track (a switched camera or microphone) in place of the old one of its kind. */
  replaceTrack(track: MediaStreamTrack): void;
  /**
   * The screen this participant shares (null: none now), sent as a second video beside the camera.
   * The first share adds that video (a renegotiation); later ones reuse it, and null sends nothing.
   */
  setScreenTrack(track: MediaStreamTrack | null): void;
  /** The tallest this page shows a remote participant's video (0: not shown); the SFU picks its layer by it. */
  setVideoHeight(uid: string, maxHeight: number): void;
  /** What arrives from one remote participant's camera and microphone, or its screen (getStats); undefined when nothing is linked to it. */
  statsFor(uid: string, source: VideoSource): Promise<MediaStats | undefined>;
  /** What this participant sends and the receivers report of it (mesh: its links together; SFU: the publisher). */
  localStats(): Promise<UplinkStats | undefined>;
  /** After a reconnect: restarts media paths that lost connectivity. */
  recover(): void;
  /** @internal The RTCPeerConnection that carries one participant's media, for tests. */
  peerConnection(uid: string): RTCPeerConnection | undefined;
  close(): void;
}

/** Makes a topology for one joined conference, for one epoch of its media setup. */
export type TopologyFactory = (context: TopologyContext, epoch: number) => MediaTopology;
