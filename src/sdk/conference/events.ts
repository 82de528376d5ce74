import type { Reaction } from '../../protocol/index.js';
import type { ConferenceStateEventType, VideoStateType } from '../enums.js';
import type { HostEvents } from './host-events.js';
import type { NetworkQuality } from './network-quality.js';

/** `onConferenceStateChanged` */
export interface ConferenceStateEvent {
  readonly type: ConferenceStateEventType;
  /** Why the conference disconnected (DISCONNECTED only). */
  readonly errorCode?: string;
}
/** `onParticipantJoined`: also fired for the local participant with the local stream. */
export interface ParticipantJoinedEvent {
  readonly uid: string;
  readonly stream: MediaStream;
  readonly user_data: string;
  /** Our addition: whether the participant transmits video now (STOPPED after unRegisterRemote). */
  readonly video: VideoStateType;
  /** Our addition: whether the participant's microphone is muted now. */
  readonly muted: boolean;
  /** Our addition: whether the participant's hand is raised now. */
  readonly hand: boolean;
}
export interface ParticipantLeftEvent {
  readonly uid: string;
}
export interface RemoteVideoStateEvent {
  readonly uid: string;
  readonly state: VideoStateType;
  readonly stream: MediaStream;
}
/** Our addition: a remote participant muted or unmuted its microphone. */
export interface RemoteAudioStateEvent {
  readonly uid: string;
  readonly muted: boolean;
}
/** `Conference.remoteParticipant(uid)`: what is known of one remote participant now. */
export interface RemoteParticipantInfo {
  readonly uid: string;
  readonly user_data: string;
  readonly stream: MediaStream;
  readonly video: VideoStateType;
  readonly muted: boolean;
  readonly hand: boolean;
  /** The stream of the screen it shares, while it shares. */
  readonly screen?: MediaStream;
}
/** Our addition: a participant (this one or a remote) raised or lowered its hand. */
export interface HandChangedEvent {
  readonly uid: string;
  readonly raised: boolean;
}
/** Our addition: a participant sent a reaction to the room (this page's own ones too). */
export interface ReactionEvent {
  readonly uid: string;
  readonly reaction: Reaction;
}
/** Our addition: a participant (this one, with the local capture, or a remote) started sharing its screen. */
export interface ScreenShareStartedEvent {
  readonly uid: string;
  /** The shared screen's video (a remote one's track may arrive after this event, like a camera's). */
  readonly stream: MediaStream;
}
/** Our addition: a participant's screen share ended (stopped, the browser's own "Stop sharing", or it left). */
export interface ScreenShareStoppedEvent {
  readonly uid: string;
}
/** Our addition: who speaks now, the one who most recently started speaking first (this participant too). */
export interface ActiveSpeakerChangedEvent {
  readonly speakers: string[];
}
/** Our addition: a participant's network quality changed (for this participant's own uid: its uplink). */
export interface NetworkQualityChangedEvent {
  readonly uid: string;
  readonly quality: NetworkQuality;
}
export interface VideoRotateEvent {
  readonly uid: string;
  readonly deg: number;
  readonly mrr: boolean;
}
export interface ReceiveDataEvent {
  readonly uid: string;
  readonly data: string;
}

/**
 * The typed event map of a conference (nanoevents): the same events as the `on*` properties. Host
 * and lobby events (host-events.ts) are on the emitter, and on an `on*` property an app sets.
 */
export interface ConferenceEvents extends HostEvents {
  conferenceStateChanged(evt: ConferenceStateEvent): void;
  participantJoined(evt: ParticipantJoinedEvent): void;
  participantLeft(evt: ParticipantLeftEvent): void;
  remoteVideoStateChanged(evt: RemoteVideoStateEvent): void;
  /** Our addition (not in the spec): a remote participant's microphone state. */
  remoteAudioStateChanged(evt: RemoteAudioStateEvent): void;
  videoRotate(evt: VideoRotateEvent): void;
  receiveData(evt: ReceiveDataEvent): void;
  /** Our addition: raised hands, this page's and the others'. */
  handChanged(evt: HandChangedEvent): void;
  /** Our addition: reactions, this page's and the others'. */
  reaction(evt: ReactionEvent): void;
  /** Our addition: screen shares, this page's and the others'. */
  screenShareStarted(evt: ScreenShareStartedEvent): void;
  screenShareStopped(evt: ScreenShareStoppedEvent): void;
  /** Our addition: the speakers, steady (held through pauses, not moved by a blip). */
  activeSpeakerChanged(evt: ActiveSpeakerChangedEvent): void;
  /** Our addition: network quality per participant, with hysteresis. */
  networkQualityChanged(evt: NetworkQualityChangedEvent): void;
}
