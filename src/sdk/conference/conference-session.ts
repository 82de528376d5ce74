import { ErrorCode, type FeatureFrame, type JoinResult, type ParticipantInfo } from '../../protocol/index.js';
import { ConferenceStateEventType, ConnectionState } from '../enums.js';
import { OoVooError } from '../errors.js';
import { randomId } from '../ids.js';
import type { RequestFrame, RequestOptions } from '../signaling/requests.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { LocalMedia } from './local-media.js';
import type { MediaTopology } from './media-topology.js';
import type { ConferenceMode } from '../../protocol/index.js';
import type { Fire, RemoteRoster } from './remote-roster.js';
import type { ScreenShare } from './screen-share.js';
import { requestJoin, toIceServers, type Identity } from './join-request.js';
import { createTopology, topologyReady } from './topologies.js';

/** How long a room's mesh may keep carrying media after the move to the SFU. */
const MOVE_MS = 8_000;

/** What a session needs of its conference object. */
export interface SessionHost {
  readonly roster: RemoteRoster;
  readonly media: LocalMedia;
  /** This participant's screen share (sent by every topology, told again after a rejoin). */
  readonly screen: ScreenShare;
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly fire: Fire;
  /** This participant's hand is raised (told again after a rejoin). */
  handRaised(): boolean;
  /** The session is in place (before any of its events fire). */
  started(session: ConferenceSession): void;
  /** The session ended: left, refused on rejoin, or the connection failed for good. */
  ended(session: ConferenceSession): void;
}

/**
 * One joined conference: the signal subscriptions (frames dispatched by type to the roster and the
 * media topology), the frames that arrive while the join is in flight, the rejoin after a
 * reconnect, what the others are told of this participant, and a teardown that removes every
 * listener it added.
 */
export class ConferenceSession {
  /** The media topology of the room's current epoch. */
  topology: MediaTopology;
  private mode: ConferenceMode;
  private epoch: number;
  /** While the room moves mesh → SFU: the mesh, kept until the SFU carries each participant's video. */
  private previous: MediaTopology | undefined;
  private previousTimer: ReturnType<typeof setTimeout> | undefined;
  private stream: MediaStream = new MediaStream();
  private iceServers: RTCIceServer[] = [];
  /** The server said the SFU is gone for this epoch; a new epoch brings media back. */
  private mediaLost = false;
  private readonly unsubscribe: Array<() => void> = [];
  private graceMs: number;
  private active = true;
  /** Frames that wait while a topology's code loads (the SFU's comes with the media extras). */
  private held: FeatureFrame[] | undefined;

  private constructor(
    private readonly host: SessionHost,
    readonly signal: SignalClient,
    readonly id: Identity,
    private readonly instance: string,
    result: JoinResult,
  ) {
    this.graceMs = result.graceMs;
    this.mode = result.mode;
    this.epoch = result.epoch ?? 0;
    this.topology = this.makeTopology(result.mode, this.epoch);
  }

  /** A topology whose tracks reach the roster while it is the current one. */
  private makeTopology(mode: ConferenceMode, epoch: number): MediaTopology {
    const topology: MediaTopology = createTopology(
      mode,
      {
        selfUid: this.id.uid,
        request: (frame, options) => this.request(frame, options),
        send: (frame) => this.send(frame),
        track: (uid, track, source) => {
          if (topology !== this.topology) return;
          this.host.roster.addTrack(uid, track, source);
          // Make before break: the SFU now carries this participant's video, so its mesh link goes.
          if (track.kind === 'video' && source === 'camera') this.previous?.removeParticipant(uid);
        },
      },
      epoch,
    );
    return topology;
  }

  /**
   * The room moved to another media setup (`conf.mode`, or a rejoin that found one). From the mesh
   * to the SFU the mesh keeps carrying media until the SFU delivers each participant's video (at
   * most MOVE_MS); otherwise the old topology closes at once.
   */
  private switchTopology(mode: ConferenceMode, epoch: number, fresh = false): void {
    if (epoch < this.epoch || (epoch === this.epoch && mode === this.mode && !fresh)) return;
    const { host } = this;
    this.closePrevious();
    const old = this.topology;
    const moving = this.mode === 'mesh' && mode === 'sfu';
    this.mode = mode;
    this.epoch = epoch;
    const next = (this.topology = this.makeTopology(mode, epoch));
    next.setLocalStream(this.stream);
    next.setTransmitting(host.media.transmitting);
    next.setScreenTrack(host.screen.track);
    next.configure(this.iceServers, host.iceTransportPolicy);
    for (const uid of host.roster.uids) next.addParticipant(uid, true);
    if (moving) {
      this.previous = old;
      this.previousTimer = setTimeout(() => this.closePrevious(), MOVE_MS);
    } else {
      old.close();
    }
  }

  private closePrevious(): void {
    clearTimeout(this.previousTimer);
    this.previous?.close();
    this.previous = undefined;
  }

  /**
   * Joins: the join request and the camera run side by side. Frames that arrive between the
   * server's answer and the end of the join (someone who joins right after us, and their offer)
   * are held and replayed. Fires CONNECTED, JOINED, then participantJoined for each participant.
   */
  static async join(host: SessionHost, signal: SignalClient, id: Identity): Promise<ConferenceSession> {
    const instance = randomId(12);
    const early: FeatureFrame[] = [];
    const stopHolding = signal.events.on('frame', (frame) => early.push(frame));
    try {
      const [result, stream] = await Promise.all([requestJoin(signal, id, instance), host.media.stream]);
      await topologyReady(result.mode);
      const session = new ConferenceSession(host, signal, id, instance, result);
      host.started(session);
      stopHolding();
      session.begin(result, stream, early);
      return session;
    } finally {
      stopHolding();
    }
  }

  private begin(result: JoinResult, stream: MediaStream, early: FeatureFrame[]): void {
    const { host, signal, topology } = this;
    this.stream = stream;
    this.iceServers = toIceServers(result);
    topology.setLocalStream(stream);
    topology.setTransmitting(host.media.transmitting);
    topology.configure(this.iceServers, host.iceTransportPolicy);
    this.unsubscribe.push(
      signal.events.on('frame', (frame) => this.onFrame(frame)),
      signal.events.on('state', (state) => {
        if (state === ConnectionState.Reconnecting) this.state(ConferenceStateEventType.RECONNECTING);
      }),
      signal.events.on('failed', (error) => this.teardown(String(error.code))),
      signal.onResume(() => this.rejoin()),
    );
    if (typeof screen !== 'undefined' && screen.orientation) {
      // The local picture turns with the device: tell the app, as the spec's onVideoRotate does.
      const rotated = () => host.fire('videoRotate', { uid: this.id.uid, deg: screen.orientation.angle, mrr: false });
      screen.orientation.addEventListener('change', rotated);
      this.unsubscribe.push(() => screen.orientation.removeEventListener('change', rotated));
    }
    this.state(ConferenceStateEventType.CONNECTED);
    this.state(ConferenceStateEventType.JOINED);
    const { uid, userData } = this.id;
    const media = host.media;
    host.fire('participantJoined', {
      uid,
      stream,
      user_data: userData,
      video: media.videoState,
      muted: media.recorderMuted,
      hand: host.handRaised(),
    });
    for (const p of result.participants) this.addRemote(p, true);
    for (const frame of early) this.onFrame(frame);
    this.announceLocalState();
  }

  /** A request in this conference (adds `conf`). */
  request(frame: RequestFrame, options?: RequestOptions): Promise<unknown> {
    return this.signal.request({ ...frame, conf: this.id.conf }, options);
  }

  /** A frame in this conference, best effort. */
  send(frame: RequestFrame): boolean {
    return this.signal.send({ ...frame, conf: this.id.conf });
  }

  /**
   * Tells the others what differs from a fresh participant's defaults (after a join and a rejoin):
   * video paused, microphone muted, a raised hand, a shared screen, and whose video this page does not want.
   */
  announceLocalState(): void {
    const { media, roster } = this.host;
    if (!media.transmitting) this.announce({ t: 'conf.video', state: 'PAUSED' });
    if (media.recorderMuted) this.announce({ t: 'conf.audio', muted: true });
    if (this.host.handRaised()) this.announce({ t: 'conf.hand', raised: true });
    this.host.screen.announce(this);
    for (const uid of roster.unregistered) this.send({ t: 'conf.receive', to: uid, video: false });
  }

  /** Sends a state change; one lost with a drop is sent again by the rejoin's announceLocalState. */
  announce(frame: RequestFrame): void {
    void this.request(frame).catch(() => undefined);
  }

  /** The spec's leave(): the others see this participant leave. */
  leave(): void {
    this.send({ t: 'conf.leave' });
    this.teardown('');
  }

  /** Ends the session here: every listener removed, media closed, every remote participant leaves. */
  teardown(errorCode: string): void {
    if (!this.active) return;
    this.active = false;
    this.host.ended(this);
    for (const off of this.unsubscribe.splice(0)) off();
    this.closePrevious();
    this.topology.close();
    for (const uid of this.host.roster.uids) this.host.roster.remove(uid);
    this.state(ConferenceStateEventType.DISCONNECTED, errorCode);
  }

  /** After the signaling connection came back: take the place again, or join anew if the server forgot it. */
  private async rejoin(): Promise<void> {
    let result: JoinResult;
    try {
      result = await requestJoin(this.signal, this.id, this.instance);
    } catch (e) {
      // A drop during the rejoin brings another welcome and another try; anything else ends the conference.
      if (this.signal.state === ConnectionState.Connected)
        this.teardown(String(e instanceof OoVooError ? e.code : ErrorCode.UnspecifiedError));
      return;
    }
    if (!this.active) return;
    const ready = topologyReady(result.mode);
    const holding = ready !== undefined && !this.held;
    if (ready) {
      this.held ??= [];
      try {
        await ready;
      } catch {
        this.teardown(String(ErrorCode.UnspecifiedError));
        return;
      }
      if (!this.active) return;
    }
    const { roster, iceTransportPolicy } = this.host;
    this.graceMs = result.graceMs;
    this.iceServers = toIceServers(result);
    // A room that moved or was rebuilt while we were away, or an SFU that forgot us (a fresh join):
    // media starts again on a new topology.
    const epoch = result.epoch ?? 0;
    if (result.mode !== this.mode || epoch !== this.epoch || (result.mode === 'sfu' && !result.resumed))
      this.switchTopology(result.mode, epoch, true);
    this.topology.configure(this.iceServers, iceTransportPolicy);
    for (const p of result.participants) {
      // Our place was kept: the links stand. A fresh join: the others remade theirs, so we offer anew.
      if (!roster.has(p.uid) || !result.resumed) this.topology.addParticipant(p.uid, true);
      roster.add(p);
    }
    roster.expectBack(new Set(result.participants.map((p) => p.uid)), this.graceMs, (uid) => this.removeRemote(uid));
    this.announceLocalState();
    this.topology.recover();
    this.state(ConferenceStateEventType.RECONNECTED);
    if (holding) this.releaseHeld();
  }

  /** Holds every frame until `ready` (a topology's code loading), then handles them in order. */
  private holdUntil(ready: Promise<unknown>, frame: FeatureFrame): void {
    this.held = [frame];
    ready.then(
      () => this.releaseHeld(),
      () => this.teardown(String(ErrorCode.UnspecifiedError)),
    );
  }

  private releaseHeld(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const frame of held) this.onFrame(frame);
  }

  private onFrame(f: FeatureFrame): void {
    if (!this.active || !('conf' in f) || f.conf !== this.id.conf) return;
    if (this.held) {
      this.held.push(f);
      return;
    }
    const roster = this.host.roster;
    if (roster.takeFrame(f)) return;
    switch (f.t) {
      case 'conf.joined':
        // Someone we still hold (a server restart, or a new tab of theirs) gets a fresh link; they offer.
        this.addRemote(f.participant, false);
        return;
      case 'conf.left':
        if (f.uid === this.id.uid) this.teardown(f.reason);
        else this.removeRemote(f.uid);
        return;
      case 'conf.mode': {
        const ready = topologyReady(f.mode);
        if (ready) return this.holdUntil(ready, f);
        this.switchTopology(f.mode, f.epoch);
        if (this.mediaLost && f.epoch === this.epoch) {
          this.mediaLost = false;
          this.state(ConferenceStateEventType.RECONNECTED);
        }
        return;
      }
      case 'conf.sfu.unavailable':
        // The SFU went away: media stops until the server rebuilds the room (a conf.mode with a new epoch).
        if (f.epoch === this.epoch && !this.mediaLost) {
          this.mediaLost = true;
          this.state(ConferenceStateEventType.RECONNECTING, String(ErrorCode.UnspecifiedError));
        }
        return;
      default:
        if (f.t !== 'conf.signal' || roster.has(f.from)) {
          this.topology.handleFrame(f);
          this.previous?.handleFrame(f);
        }
    }
  }

  /** Links media first, then lets the roster fire participantJoined, so the app's handler finds the link. */
  private addRemote(info: ParticipantInfo, initiator: boolean): void {
    this.topology.addParticipant(info.uid, initiator);
    this.host.roster.add(info);
  }

  private removeRemote(uid: string): void {
    this.topology.removeParticipant(uid);
    this.host.roster.remove(uid);
  }

  private state(type: ConferenceStateEventType, errorCode?: string): void {
    this.host.fire('conferenceStateChanged', errorCode === undefined ? { type } : { type, errorCode });
  }
}
