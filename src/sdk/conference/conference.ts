import { createNanoEvents, type Emitter } from 'nanoevents';
import {
  ConferenceLimits,
  ConferenceServerFrames,
  ErrorCode,
  utf8Length,
  validate,
  type ConferenceServerFrame,
  type JoinResult,
  type ParticipantInfo,
  type ServerFrame,
} from '../../protocol/index.js';
import { ConferenceStateEventType, ConnectionState, VideoStateType } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { AudioController, VideoController } from './controllers.js';
import type {
  ConferenceEvents,
  RemoteParticipantInfo,
  ConferenceStateEvent,
  ParticipantJoinedEvent,
  ParticipantLeftEvent,
  ReceiveDataEvent,
  RemoteVideoStateEvent,
  VideoRotateEvent,
} from './events.js';
import { captureConstraints, type MediaSettings } from './init-params.js';
import { acquireLocalMedia } from './local-media.js';
import { loadWebrtcAdapter } from './adapter/load-adapter.js';
import type { MediaTopology, SignalPayload } from './media-topology.js';
import { MeshTopology } from './mesh-topology.js';

/** What the conference needs of the client: its signaling connection and signed-in user. */
export interface ConferenceHost {
  readonly signaling: SignalClient | undefined;
  readonly userId: string | undefined;
}

interface RemoteParticipant {
  readonly uid: string;
  readonly userData: string;
  /** One stream per participant for the conference's life: tracks are swapped in when links are remade. */
  readonly stream: MediaStream;
  video: 'PLAY' | 'PAUSED';
  /** Its microphone is muted (told by the server's `conf.audio`). */
  muted: boolean;
  /** False after unRegisterRemote. */
  registered: boolean;
  /** Set after a rejoin that did not list it: it leaves unless it shows up within the grace period. */
  missingTimer: ReturnType<typeof setTimeout> | undefined;
}

type Handler<E> = ((evt: E) => void) | null | undefined;

interface Joined {
  readonly conf: string;
  readonly uid: string;
  readonly userData: string;
  readonly instance: string;
  readonly signal: SignalClient;
  readonly topology: MediaTopology;
  readonly unsubscribe: Array<() => void>;
  graceMs: number;
}

/**
 * The conference object `ooVooClient.AVChat.init` returns (the spec's `avchatObj`): the ooVoo
 * callback API (`on*` properties, callbacks) and, for modern code, a typed emitter and Promises.
 */
export class Conference {
  onConferenceStateChanged: Handler<ConferenceStateEvent> = null;
  onParticipantJoined: Handler<ParticipantJoinedEvent> = null;
  onParticipantLeft: Handler<ParticipantLeftEvent> = null;
  onRemoteVideoStateChanged: Handler<RemoteVideoStateEvent> = null;
  onVideoRotate: Handler<VideoRotateEvent> = null;
  onReceiveData: Handler<ReceiveDataEvent> = null;
  /** Modern event API: `avchatObj.events.on('participantJoined', fn)`. */
  readonly events: Emitter<ConferenceEvents> = createNanoEvents<ConferenceEvents>();
  readonly AudioController: AudioController;
  readonly VideoController: VideoController;
  /** The local camera and microphone (an empty stream when access was denied or not asked for). */
  readonly localStream: Promise<MediaStream>;

  private joined: Joined | undefined;
  private joining = false;
  private readonly remotes = new Map<string, RemoteParticipant>();
  private recorderMuted = false;
  private playbackMuted = false;
  private transmitting = true;
  private readonly outbox: Array<{ to: string; payload: SignalPayload }> = [];

  constructor(
    private readonly host: ConferenceHost,
    private readonly settings: MediaSettings | undefined,
    /** The -40000 of invalid init parameters: every call reports it. */
    private readonly initError: OoVooError | undefined,
  ) {
    // webrtc-adapter (only where a browser needs it) shims capture and peer connections: load it first.
    // join() waits for localStream, so no RTCPeerConnection is made before it either.
    this.localStream = loadWebrtcAdapter().then(() =>
      settings
        ? acquireLocalMedia(settings, (type) => this.state(type)).then((stream) => {
            for (const track of stream.getAudioTracks()) track.enabled = !this.recorderMuted;
            return stream;
          })
        : new MediaStream(),
    );
    this.join = this.join.bind(this);
    this.leave = this.leave.bind(this);
    this.sendData = this.sendData.bind(this);
    this.AudioController = {
      setRecorderMute: (muted) => this.setRecorderMute(muted),
      isRecorderMuted: () => this.recorderMuted,
      setPlaybackMute: (muted) => this.setPlaybackMute(muted),
      isPlaybackMuted: () => this.playbackMuted,
    };
    this.VideoController = {
      startTransmit: () => this.setTransmit(true),
      stopTransmit: () => this.setTransmit(false),
      isTransmitted: () => this.transmitting,
      registerRemote: (uid) => this.setRegistered(String(uid), true),
      unRegisterRemote: (uid) => this.setRegistered(String(uid), false),
    };
    if (typeof window !== 'undefined' && typeof screen !== 'undefined' && screen.orientation) {
      // The local picture turns with the device: tell the app, as the spec's onVideoRotate does.
      screen.orientation.addEventListener('change', () => {
        if (this.joined) this.fire('videoRotate', { uid: this.joined.uid, deg: screen.orientation.angle, mrr: false });
      });
    }
  }

  /** The uids of the remote participants now in the conference. */
  get participants(): string[] {
    return [...this.remotes.keys()];
  }

  /** One remote participant's data, video state and microphone state, for UIs that start late. */
  remoteParticipant(uid: string): RemoteParticipantInfo | undefined {
    const r = this.remotes.get(uid);
    if (!r) return undefined;
    const video = r.registered ? (r.video === 'PLAY' ? VideoStateType.PLAY : VideoStateType.PAUSED) : VideoStateType.STOPPED;
    return { uid, user_data: r.userData, stream: r.stream, video, muted: r.muted };
  }

  /**
   * Switches the local camera (`'video'`) or microphone (`'audio'`) to another device: the new
   * track goes into `localStream` and to every participant without renegotiation; the old one ends.
   */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (!this.settings) throw this.initError ?? OoVooError.badRequest('AVChat.init failed.');
    const stream = await this.localStream;
    const base = captureConstraints(this.settings)[kind];
    const constraint = { ...(typeof base === 'object' ? base : {}), deviceId: { exact: deviceId } };
    let fresh: MediaStreamTrack | undefined;
    try {
      fresh = (await navigator.mediaDevices.getUserMedia({ [kind]: constraint })).getTracks()[0];
    } catch (e) {
      throw OoVooError.badRequest(`The ${kind === 'audio' ? 'microphone' : 'camera'} could not be opened: ${(e as Error).message}`);
    }
    if (!fresh) return;
    if (kind === 'audio') fresh.enabled = !this.recorderMuted;
    for (const old of stream.getTracks()) {
      if (old.kind !== kind) continue;
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(fresh);
    this.joined?.topology.replaceTrack(fresh);
  }

  /** @internal The RTCPeerConnection to one participant, for stats and tests. */
  peerConnection(uid: string): RTCPeerConnection | undefined {
    const topology = this.joined?.topology;
    return topology instanceof MeshTopology ? topology.peerConnection(uid) : undefined;
  }

  /**
   * The spec's `join(confid, uid, user_data, cb)`; also `join(confid, uid, cb)`. `cb` gets `{}` or
   * `{ error }`; the Promise resolves or rejects likewise.
   */
  join(confId: string, uid: string, userData?: unknown, cb?: ResultCallback<{ conf: string }>): Promise<{ conf: string }> {
    if (typeof userData === 'function' && cb === undefined) {
      cb = userData as ResultCallback<{ conf: string }>;
      userData = undefined;
    }
    return settle(this.doJoin(confId, uid, userData), cb);
  }

  private async doJoin(confIdIn: unknown, uidIn: unknown, userDataIn: unknown): Promise<{ conf: string }> {
    if (this.initError) throw this.initError;
    const conf = typeof confIdIn === 'number' ? String(confIdIn) : confIdIn;
    const uid = typeof uidIn === 'number' ? String(uidIn) : uidIn;
    if (typeof conf !== 'string' || conf.length === 0 || conf.length > ConferenceLimits.maxConferenceIdLength) {
      throw OoVooError.badRequest('confid must be a non-empty string of at most 256 characters.');
    }
    if (typeof uid !== 'string' || uid.length === 0) throw OoVooError.badRequest('uid must be a non-empty string.');
    const userData = userDataIn === undefined || userDataIn === null ? '' : typeof userDataIn === 'string' ? userDataIn : JSON.stringify(userDataIn);
    if (userData.length > ConferenceLimits.maxUserDataLength) throw OoVooError.badRequest('user_data is longer than 4096 characters.');
    if (this.joined || this.joining) throw OoVooError.badRequest('This conference object already joined; call leave() first.');
    const signal = this.host.signaling;
    if (!signal || signal.state !== ConnectionState.Connected) throw OoVooError.unspecified('Not connected: call ooVooClient.connect first.');
    if (uid !== this.host.userId) throw OoVooError.of(ErrorCode.NotAuthorized, 'uid must be the user id you connected with.');

    this.joining = true;
    const instance = randomId();
    // Frames that arrive between the server's join answer and the end of this method (someone who
    // joins right after us, and their offer) would otherwise be lost: hold them, replay them below.
    const early: ServerFrame[] = [];
    const stopHolding = signal.events.on('frame', (frame) => early.push(frame));
    try {
      // Capture and signaling run side by side: the join does not wait for the camera.
      const [result, stream] = await Promise.all([this.requestJoin(signal, conf, uid, userData, instance), this.localStream]);
      const topology = new MeshTopology(uid, {
        signal: (to, payload) => this.sendSignal(to, payload),
        track: (from, track) => this.remoteTrack(from, track),
      });
      topology.setLocalStream(stream);
      const joined: Joined = { conf, uid, userData, instance, signal, topology, unsubscribe: [], graceMs: result.graceMs };
      this.joined = joined;
      joined.unsubscribe.push(
        signal.events.on('frame', (frame) => this.onFrame(frame)),
        signal.events.on('state', (state) => {
          if (state === ConnectionState.Reconnecting && this.joined === joined) this.state(ConferenceStateEventType.RECONNECTING);
        }),
        signal.events.on('welcome', (_w, resumed) => {
          if (resumed && this.joined === joined) void this.rejoin(joined);
        }),
        signal.events.on('failed', (error) => {
          if (this.joined === joined) this.teardown(String(error.code));
        }),
      );
      topology.configure(toIceServers(result), this.settings?.iceTransportPolicy ?? 'all');
      this.state(ConferenceStateEventType.CONNECTED);
      this.state(ConferenceStateEventType.JOINED);
      this.fire('participantJoined', {
        uid,
        stream,
        user_data: userData,
        video: this.transmitting ? VideoStateType.PLAY : VideoStateType.PAUSED,
        muted: this.recorderMuted,
      });
      for (const p of result.participants) this.addRemote(p, true);
      stopHolding();
      for (const frame of early.splice(0)) this.onFrame(frame);
      if (!this.transmitting) void signal.request({ t: 'conf.video', conf, state: 'PAUSED' }).catch(() => undefined);
      if (this.recorderMuted) void signal.request({ t: 'conf.audio', conf, muted: true }).catch(() => undefined);
      return { conf };
    } finally {
      stopHolding();
      this.joining = false;
    }
  }

  private async requestJoin(signal: SignalClient, conf: string, uid: string, userData: string, instance: string): Promise<JoinResult> {
    const raw = await signal.request({ t: 'conf.join', conf, uid, userData, instance });
    const checked = validate(ConferenceServerFrames.joinResult, raw);
    if (!checked.ok) throw OoVooError.unspecified(`The server's join answer was not understood: ${checked.error.message}`);
    return checked.value as JoinResult;
  }

  /** After the signaling connection came back: take the place again, or join anew if the server forgot it. */
  private async rejoin(joined: Joined): Promise<void> {
    let result: JoinResult;
    try {
      result = await this.requestJoin(joined.signal, joined.conf, joined.uid, joined.userData, joined.instance);
    } catch (e) {
      // A drop during the rejoin brings another welcome and another try; anything else ends the conference.
      if (this.joined === joined && joined.signal.state === ConnectionState.Connected) {
        this.teardown(e instanceof OoVooError ? String(e.code) : String(ErrorCode.UnspecifiedError));
      }
      return;
    }
    if (this.joined !== joined) return;
    joined.graceMs = result.graceMs;
    joined.topology.configure(toIceServers(result), this.settings?.iceTransportPolicy ?? 'all');
    const listed = new Set(result.participants.map((p) => p.uid));
    for (const p of result.participants) {
      const known = this.remotes.get(p.uid);
      if (known) {
        clearTimeout(known.missingTimer);
        known.missingTimer = undefined;
        known.video = p.video;
        known.muted = p.muted === true;
      }
      // Our place was kept: the links stand. A fresh join: the others remade theirs, so we offer anew.
      if (!known || !result.resumed) this.addRemote(p, true);
    }
    for (const remote of this.remotes.values()) {
      if (listed.has(remote.uid) || remote.missingTimer) continue;
      // Maybe the server restarted and they have not come back yet: wait the grace period.
      remote.missingTimer = setTimeout(() => this.removeRemote(remote.uid), joined.graceMs);
    }
    this.flushOutbox();
    if (!this.transmitting) void joined.signal.request({ t: 'conf.video', conf: joined.conf, state: 'PAUSED' }).catch(() => undefined);
    if (this.recorderMuted) void joined.signal.request({ t: 'conf.audio', conf: joined.conf, muted: true }).catch(() => undefined);
    for (const remote of this.remotes.values()) {
      if (!remote.registered) joined.signal.send({ t: 'conf.receive', conf: joined.conf, to: remote.uid, video: false });
    }
    joined.topology.recover();
    this.state(ConferenceStateEventType.RECONNECTED);
  }

  /** The spec's `leave()`: others see this participant leave; every remote participant leaves here. */
  leave(): void {
    const joined = this.joined;
    if (!joined) return;
    joined.signal.send({ t: 'conf.leave', conf: joined.conf });
    this.teardown('');
  }

  private teardown(errorCode: string): void {
    const joined = this.joined;
    if (!joined) return;
    this.joined = undefined;
    for (const off of joined.unsubscribe) off();
    joined.topology.close();
    this.outbox.length = 0;
    for (const uid of [...this.remotes.keys()]) this.removeRemote(uid);
    this.state(ConferenceStateEventType.DISCONNECTED, errorCode);
  }

  /** The spec's `sendData(uid, to_uid, data)`: to one participant, or to all with "". At most 16 KB. */
  sendData(uid: string, toUid: string, data: string, cb?: ResultCallback): Promise<object> {
    return settle(this.doSendData(uid, toUid, data), cb);
  }

  private async doSendData(uidIn: unknown, toIn: unknown, data: unknown): Promise<object> {
    const joined = this.joined;
    if (!joined) throw OoVooError.badRequest('Join a conference before sending data.');
    const uid = typeof uidIn === 'number' ? String(uidIn) : uidIn;
    const to = typeof toIn === 'number' ? String(toIn) : (toIn ?? '');
    if (uid !== joined.uid) throw OoVooError.of(ErrorCode.NotAuthorized, 'uid must be your own participant id.');
    if (typeof to !== 'string') throw OoVooError.badRequest('to_uid must be a participant id or "".');
    if (typeof data !== 'string') throw OoVooError.badRequest('data must be a string.');
    if (utf8Length(data) > ConferenceLimits.maxDataBytes) throw OoVooError.badRequest('data is larger than 16 KB.');
    await joined.signal.request({ t: 'conf.data', conf: joined.conf, to, data });
    return {};
  }

  private setRecorderMute(muted: boolean): void {
    const changed = this.recorderMuted !== (muted === true);
    this.recorderMuted = muted === true;
    // The others show it on this participant's tile.
    const joined = this.joined;
    if (changed && joined) void joined.signal.request({ t: 'conf.audio', conf: joined.conf, muted: this.recorderMuted }).catch(() => undefined);
    void this.localStream.then((stream) => {
      for (const track of stream.getAudioTracks()) track.enabled = !this.recorderMuted;
    });
  }

  private setPlaybackMute(muted: boolean): void {
    this.playbackMuted = muted === true;
    // A disabled remote track plays silence, whatever element the app attached it to.
    for (const remote of this.remotes.values()) for (const track of remote.stream.getAudioTracks()) track.enabled = !this.playbackMuted;
  }

  private setTransmit(on: boolean): void {
    if (this.transmitting === on) return;
    this.transmitting = on;
    const joined = this.joined;
    if (!joined) return;
    joined.topology.setTransmitting(on);
    void joined.signal.request({ t: 'conf.video', conf: joined.conf, state: on ? 'PLAY' : 'PAUSED' }).catch(() => undefined);
  }

  private setRegistered(uid: string, registered: boolean): void {
    const joined = this.joined;
    const remote = this.remotes.get(uid);
    if (!joined || !remote || remote.registered === registered) return;
    remote.registered = registered;
    joined.signal.send({ t: 'conf.receive', conf: joined.conf, to: uid, video: registered });
    this.fire('remoteVideoStateChanged', {
      uid,
      state: registered ? (remote.video === 'PLAY' ? VideoStateType.PLAY : VideoStateType.PAUSED) : VideoStateType.STOPPED,
      stream: remote.stream,
    });
  }

  private addRemote(info: ParticipantInfo, initiator: boolean): void {
    const joined = this.joined!;
    let remote = this.remotes.get(info.uid);
    if (!remote) {
      remote = {
        uid: info.uid,
        userData: info.userData,
        stream: new MediaStream(),
        video: info.video,
        muted: info.muted === true,
        registered: true, missingTimer: undefined };
      this.remotes.set(info.uid, remote);
      joined.topology.setWantedBy(info.uid, true);
      joined.topology.connect(info.uid, initiator);
      this.fire('participantJoined', { uid: info.uid, stream: remote.stream, user_data: info.userData, video: info.video, muted: remote.muted });
    } else {
      clearTimeout(remote.missingTimer);
      remote.missingTimer = undefined;
      remote.video = info.video;
      joined.topology.connect(info.uid, initiator);
    }
  }

  private removeRemote(uid: string): void {
    const remote = this.remotes.get(uid);
    if (!remote) return;
    clearTimeout(remote.missingTimer);
    this.remotes.delete(uid);
    this.joined?.topology.disconnect(uid);
    this.joined?.topology.setWantedBy(uid, true);
    for (const track of remote.stream.getTracks()) {
      track.stop();
      remote.stream.removeTrack(track);
    }
    this.fire('participantLeft', { uid });
  }

  private remoteTrack(uid: string, track: MediaStreamTrack): void {
    const remote = this.remotes.get(uid);
    if (!remote) return;
    for (const old of remote.stream.getTracks()) {
      if (old.kind === track.kind && old !== track) remote.stream.removeTrack(old);
    }
    if (track.kind === 'audio') track.enabled = !this.playbackMuted;
    if (!remote.stream.getTracks().includes(track)) remote.stream.addTrack(track);
  }

  private sendSignal(to: string, payload: SignalPayload): void {
    const joined = this.joined;
    if (!joined) return;
    const frame = { t: 'conf.signal', conf: joined.conf, to, ...payload };
    // While reconnecting, signals wait and go out after the rejoin.
    if (!joined.signal.send(frame)) this.outbox.push({ to, payload });
  }

  private flushOutbox(): void {
    const pending = this.outbox.splice(0);
    for (const { to, payload } of pending) if (this.remotes.has(to)) this.sendSignal(to, payload);
  }

  private onFrame(raw: ServerFrame): void {
    const joined = this.joined;
    const frame = raw as unknown as ConferenceServerFrame;
    if (!joined || typeof frame.t !== 'string' || !frame.t.startsWith('conf.') || frame.conf !== joined.conf) return;
    switch (frame.t) {
      case 'conf.joined':
        // Someone we still hold (a server restart, or a new tab of theirs) gets a fresh link; they offer.
        this.addRemote(frame.participant, false);
        return;
      case 'conf.left':
        if (frame.uid === joined.uid) this.teardown(frame.reason);
        else this.removeRemote(frame.uid);
        return;
      case 'conf.signal':
        if (!this.remotes.has(frame.from)) return;
        void joined.topology.receive(frame.from, { description: frame.description, candidate: frame.candidate }).catch(() => undefined);
        return;
      case 'conf.video': {
        const remote = this.remotes.get(frame.uid);
        if (!remote) return;
        remote.video = frame.state;
        if (remote.registered) this.fire('remoteVideoStateChanged', { uid: remote.uid, state: frame.state, stream: remote.stream });
        return;
      }
      case 'conf.audio': {
        const remote = this.remotes.get(frame.uid);
        if (!remote || remote.muted === frame.muted) return;
        remote.muted = frame.muted;
        this.fire('remoteAudioStateChanged', { uid: remote.uid, muted: frame.muted });
        return;
      }
      case 'conf.receive':
        joined.topology.setWantedBy(frame.from, frame.video);
        return;
      case 'conf.data':
        this.fire('receiveData', { uid: frame.from, data: frame.data });
        return;
    }
  }

  private state(type: ConferenceStateEventType, errorCode?: string): void {
    this.fire('conferenceStateChanged', errorCode === undefined ? { type } : { type, errorCode });
  }

  private fire<K extends keyof ConferenceEvents>(name: K, evt: Parameters<ConferenceEvents[K]>[0]): void {
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
    (this.events.emit as (n: K, e: unknown) => void)(name, evt);
  }
}

function toIceServers(result: JoinResult): RTCIceServer[] {
  return result.iceServers.map((s) => ({ urls: [...s.urls], ...(s.username ? { username: s.username, credential: s.credential } : {}) }));
}

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
