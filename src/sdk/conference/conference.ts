import { createNanoEvents, type Emitter } from 'nanoevents';
import { ConferenceLimits, ErrorCode, REACTIONS, utf8Length, type Reaction } from '../../protocol/index.js';
import { ConnectionState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import { requireUserId, toUserId } from '../ids.js';
import type { SignalClient } from '../signaling/signal-client.js';
import { ConferenceSession, type SessionHost } from './conference-session.js';
import { CallMonitor, sessionSource } from './call-monitor.js';
import type { AudioController, VideoController } from './controllers.js';
import type {
  ActiveSpeakerChangedEvent,
  ConferenceEvents,
  ConferenceStateEvent,
  HandChangedEvent,
  NetworkQualityChangedEvent,
  ParticipantJoinedEvent,
  ParticipantLeftEvent,
  ReactionEvent,
  ReceiveDataEvent,
  RemoteParticipantInfo,
  RemoteVideoStateEvent,
  ScreenShareStartedEvent,
  ScreenShareStoppedEvent,
  VideoRotateEvent,
} from './events.js';
import type { MediaSettings } from './init-params.js';
import { LocalMedia } from './local-media.js';
import type { MediaStats } from './media-stats.js';
import type { VideoSource } from './media-topology.js';
import type { NetworkQuality } from './network-quality.js';
import { RemoteRoster, type Fire } from './remote-roster.js';
import { ScreenShare } from './screen-share.js';
import { HostController } from './host-controller.js';

/** What the conference needs of the client: its signaling connection and signed-in user. */
export interface ConferenceHost {
  readonly signaling: SignalClient | undefined;
  readonly userId: string | undefined;
}

type Handler<E> = ((evt: E) => void) | null | undefined;

/**
 * The conference object `ooVooClient.AVChat.init` returns (the spec's `avchatObj`): the ooVoo
 * callback API (`on*` properties, callbacks, arguments as the spec's samples pass them) and, for
 * modern code, a typed emitter and Promises. The work is done by LocalMedia (this participant's
 * camera and microphone), RemoteRoster (the others) and, while joined, a ConferenceSession.
 */
export class Conference {
  onConferenceStateChanged: Handler<ConferenceStateEvent> = null;
  onParticipantJoined: Handler<ParticipantJoinedEvent> = null;
  onParticipantLeft: Handler<ParticipantLeftEvent> = null;
  onRemoteVideoStateChanged: Handler<RemoteVideoStateEvent> = null;
  onVideoRotate: Handler<VideoRotateEvent> = null;
  onReceiveData: Handler<ReceiveDataEvent> = null;
  /** Our addition: a hand raised or lowered, this participant's or another's. */
  onHandChanged: Handler<HandChangedEvent> = null;
  /** Our addition: a reaction sent to the room, by this participant or another. */
  onReaction: Handler<ReactionEvent> = null;
  /** Our addition: a participant started sharing its screen (this page's own share too, with the local capture). */
  onScreenShareStarted: Handler<ScreenShareStartedEvent> = null;
  /** Our addition: a participant's screen share ended. */
  onScreenShareStopped: Handler<ScreenShareStoppedEvent> = null;
  /** Our addition: who speaks now changed (see `activeSpeakers`). */
  onActiveSpeakerChanged: Handler<ActiveSpeakerChangedEvent> = null;
  /** Our addition: a participant's network quality changed (see `networkQuality(uid)`). */
  onNetworkQualityChanged: Handler<NetworkQualityChangedEvent> = null;
  /** Modern event API: `avchatObj.events.on('participantJoined', fn)`. */
  readonly events: Emitter<ConferenceEvents> = createNanoEvents<ConferenceEvents>();
  readonly AudioController: AudioController;
  readonly VideoController: VideoController;
  /** The local camera and microphone (an empty stream when access was denied or not asked for). */
  readonly localStream: Promise<MediaStream>;

  private readonly fire: Fire = (name, evt) => {
    const property = `on${name[0]!.toUpperCase()}${name.slice(1)}` as keyof this;
    const handler = this[property];
    if (typeof handler === 'function') {
      try {
        (handler as (e: unknown) => void).call(this, evt);
      } catch (e) {
        // An app's handler that throws must not break the conference; report it like the browser would.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
    (this.events.emit as (n: string, e: unknown) => void)(name, evt);
  };
  private readonly media: LocalMedia;
  private readonly roster = new RemoteRoster(this.fire);
  private readonly screen = new ScreenShare(() => this.session, this.roster, this.fire);
  /** Our addition: a host's actions, the room's lock and lobby, this participant's role (host-controller.ts). */
  readonly HostController = new HostController(() => this.session, this.fire, this);
  private readonly monitor = new CallMonitor(this.fire, this);
  private session: ConferenceSession | undefined;
  private joining = false;
  private hand = false;

  constructor(
    private readonly host: ConferenceHost,
    private readonly settings: MediaSettings | undefined,
    /** The -40000 of invalid init parameters: every call reports it. */
    private readonly initError: OoVooError | undefined,
  ) {
    this.media = new LocalMedia(
      settings,
      (type) => this.fire('conferenceStateChanged', { type }),
      // A camera or microphone turned on after init (it was off): the topology sends it now.
      (track) => this.session?.topology.replaceTrack(track),
    );
    this.localStream = this.media.stream;
    this.join = this.join.bind(this);
    this.leave = this.leave.bind(this);
    this.sendData = this.sendData.bind(this);
    this.AudioController = {
      setRecorderMute: (muted) => {
        if (this.media.setRecorderMute(muted === true))
          this.session?.announce({ t: 'conf.audio', muted: muted === true });
      },
      isRecorderMuted: () => this.media.recorderMuted,
      setPlaybackMute: (muted) => this.roster.setPlaybackMute(muted === true),
      isPlaybackMuted: () => this.roster.playbackMuted,
    };
    this.VideoController = {
      startTransmit: () => this.setTransmit(true),
      stopTransmit: () => this.setTransmit(false),
      isTransmitted: () => this.media.transmitting,
      registerRemote: (uid) => this.setRegistered(uid, true),
      unRegisterRemote: (uid) => this.setRegistered(uid, false),
    };
  }

  /** The uids of the remote participants now in the conference. */
  get participants(): string[] {
    return this.roster.uids;
  }

  /** One remote participant's data, video state and microphone state, for UIs that start late. */
  remoteParticipant(uid: string): RemoteParticipantInfo | undefined {
    return this.roster.info(uid);
  }

  /**
   * Our addition: the tallest this page shows `uid`'s video, in pixels (0: not shown). In a room on
   * the SFU the server then forwards the smallest simulcast layer that fills it; a mesh ignores it.
   */
  setRemoteVideoHeight(uid: string, maxHeight: number): void {
    this.session?.topology.setVideoHeight(String(uid), Number(maxHeight) || 0);
  }

  /**
   * Our addition: what arrives from one remote participant (bitrate, packets lost, RTT, frames decoded):
   * its camera and microphone, or with `'screen'` the screen it shares.
   */
  statsFor(uid: string, source: VideoSource = 'camera'): Promise<MediaStats | undefined> {
    return this.session?.topology.statsFor(uid, source === 'screen' ? source : 'camera') ?? Promise.resolve(undefined);
  }

  /** Our addition: who speaks now, the one who most recently started first (this participant's uid too). */
  get activeSpeakers(): string[] {
    return this.monitor.activeSpeakers;
  }

  /** Our addition: 'excellent' | 'good' | 'poor' | 'lost' for a participant; for this participant's own uid, its uplink. */
  networkQuality(uid: string): NetworkQuality | undefined {
    return this.monitor.quality(String(uid));
  }

  /**
   * Switches the local camera (`'video'`) or microphone (`'audio'`) to another device: the new
   * track goes into `localStream` and to every participant without renegotiation; the old one ends.
   */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (this.initError) throw this.initError;
    const fresh = await this.media.switchDevice(kind, deviceId);
    if (fresh) this.session?.topology.replaceTrack(fresh);
  }

  /** @internal The RTCPeerConnection that carries one participant's media, for tests. */
  peerConnection(uid: string): RTCPeerConnection | undefined {
    return this.session?.topology.peerConnection(uid);
  }

  /**
   * The spec's `join(confid, uid, user_data, cb)`; also `join(confid, uid, cb)`. `cb` gets `{}` or
   * `{ error }`; the Promise resolves or rejects likewise.
   */
  join(
    confId: string,
    uid: string,
    userData?: unknown,
    cb?: ResultCallback<{ conf: string }>,
  ): Promise<{ conf: string }> {
    if (typeof userData === 'function' && cb === undefined) {
      cb = userData as ResultCallback<{ conf: string }>;
      userData = undefined;
    }
    return settle(this.doJoin(confId, uid, userData), cb);
  }

  private async doJoin(confIdIn: unknown, uidIn: unknown, userDataIn: unknown): Promise<{ conf: string }> {
    if (this.initError) throw this.initError;
    const conf = typeof confIdIn === 'number' ? String(confIdIn) : confIdIn;
    if (typeof conf !== 'string' || conf.length === 0 || conf.length > ConferenceLimits.maxConferenceIdLength) {
      throw OoVooError.badRequest('confid must be a non-empty string of at most 256 characters.');
    }
    const uid = requireUserId(uidIn, 'uid');
    const userData =
      userDataIn === undefined || userDataIn === null
        ? ''
        : typeof userDataIn === 'string'
          ? userDataIn
          : JSON.stringify(userDataIn);
    if (userData.length > ConferenceLimits.maxUserDataLength)
      throw OoVooError.badRequest('user_data is longer than 4096 characters.');
    if (this.session || this.joining)
      throw OoVooError.badRequest('This conference object already joined; call leave() first.');
    const signal = this.host.signaling;
    if (!signal || signal.state !== ConnectionState.Connected)
      throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    if (uid !== this.host.userId)
      throw OoVooError.of(ErrorCode.NotAuthorized, 'uid must be the user id you connected with.');

    const host: SessionHost = {
      roster: this.roster,
      media: this.media,
      screen: this.screen,
      iceTransportPolicy: this.settings?.iceTransportPolicy ?? 'all',
      fire: this.fire,
      handRaised: () => this.hand,
      started: (session) => {
        this.session = session;
        this.monitor.start(sessionSource(session, this.roster, this.media));
      },
      ended: (session) => {
        if (this.session !== session) return;
        this.session = undefined;
        // A later join starts with the hand lowered and no share (leaving ends it).
        this.hand = false;
        this.screen.end();
        this.monitor.stop();
      },
    };
    this.joining = true;
    try {
      const joined = ConferenceSession.join(host, signal, { conf, uid, userData });
      this.HostController.watch(signal, conf, uid, joined);
      await joined;
      return { conf };
    } finally {
      this.joining = false;
    }
  }

  /** The spec's `leave()`: others see this participant leave; every remote participant leaves here. */
  leave(): void {
    if (this.session) this.session.leave();
    else this.HostController.leaveLobby();
  }

  /** The spec's `sendData(uid, to_uid, data)`: to one participant, or to all with "". At most 16 KB. */
  sendData(uid: string, toUid: string, data: string, cb?: ResultCallback): Promise<object> {
    return settle(this.doSendData(uid, toUid, data), cb);
  }

  private async doSendData(uidIn: unknown, toIn: unknown, data: unknown): Promise<object> {
    const session = this.session;
    if (!session) throw OoVooError.badRequest('Join a conference before sending data.');
    if (toUserId(uidIn) !== session.id.uid)
      throw OoVooError.of(ErrorCode.NotAuthorized, 'uid must be your own participant id.');
    const to = toIn === undefined || toIn === null || toIn === '' ? '' : toUserId(toIn);
    if (to === undefined) throw OoVooError.badRequest('to_uid must be a participant id or "".');
    if (typeof data !== 'string') throw OoVooError.badRequest('data must be a string.');
    if (utf8Length(data) > ConferenceLimits.maxDataBytes) throw OoVooError.badRequest('data is larger than 16 KB.');
    await session.request({ t: 'conf.data', to, data });
    return {};
  }

  /** Our addition: raises (true) or lowers (false) this participant's hand; the room and later joiners see it. */
  setHandRaised(raised: boolean, cb?: ResultCallback): Promise<object> {
    return settle(this.doSetHand(raised), cb);
  }

  /** Our addition: whether this participant's hand is raised. */
  get handRaised(): boolean {
    return this.hand;
  }

  /** Our addition: one of `ooVooClient.Reactions` to the whole room; this page gets its own `reaction` event too. */
  sendReaction(reaction: Reaction, cb?: ResultCallback): Promise<object> {
    return settle(this.doReact(reaction), cb);
  }

  /**
   * Our addition: shares this participant's screen (getDisplayMedia) with the room as a second video;
   * one sharer per room at a time (-60300 while another shares). The browser's own "Stop sharing" ends it.
   */
  startScreenShare(cb?: ResultCallback): Promise<object> {
    return settle(this.initError ? Promise.reject(this.initError) : this.screen.start(), cb);
  }

  /** Our addition: stops this participant's screen share (resolves at once; nothing to stop is no error). */
  stopScreenShare(cb?: ResultCallback): Promise<object> {
    return settle(this.screen.stop(), cb);
  }

  /** Our addition: who shares a screen now (this participant or a remote one) and its stream, for UIs that start late. */
  get screenShare(): { uid: string; stream: MediaStream } | undefined {
    return this.screen.active;
  }

  private async doSetHand(raised: unknown): Promise<object> {
    const session = this.session;
    if (!session) throw OoVooError.badRequest('Join a conference before raising a hand.');
    if (typeof raised !== 'boolean') throw OoVooError.badRequest('raised must be true or false.');
    if (this.hand === raised) return {};
    // Set first: a drop during the request is mended by the rejoin, which tells the room again.
    this.hand = raised;
    try {
      await session.request({ t: 'conf.hand', raised });
    } catch (e) {
      if (this.session === session) this.hand = !raised;
      throw e;
    }
    this.fire('handChanged', { uid: session.id.uid, raised });
    return {};
  }

  private async doReact(reaction: unknown): Promise<object> {
    const session = this.session;
    if (!session) throw OoVooError.badRequest('Join a conference before sending a reaction.');
    if (!(REACTIONS as readonly unknown[]).includes(reaction))
      throw OoVooError.badRequest(`reaction must be one of ${REACTIONS.join(', ')}.`);
    await session.request({ t: 'conf.reaction', reaction });
    this.fire('reaction', { uid: session.id.uid, reaction: reaction as Reaction });
    return {};
  }

  private setTransmit(on: boolean): void {
    if (!this.media.setTransmitting(on)) return;
    // Before a join, the session starts with this state and announces it.
    this.session?.topology.setTransmitting(on);
    this.session?.announce({ t: 'conf.video', state: this.media.videoState });
  }

  private setRegistered(uidIn: unknown, registered: boolean): void {
    const uid = toUserId(uidIn);
    const session = this.session;
    if (session && uid !== undefined && this.roster.setRegistered(uid, registered))
      session.send({ t: 'conf.receive', to: uid, video: registered });
  }
}
