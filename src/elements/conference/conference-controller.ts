import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { Reaction } from '../../protocol/index.js';
import type { OoVooClient } from '../../sdk/client.js';
import type { Conference } from '../../sdk/conference/index.js';
import { ConferenceStateEventType, ConnectionState, VideoResolution, type VideoStateType } from '../../sdk/enums.js';
import { OoVooError } from '../../sdk/errors.js';
import type { ClientContextValue, ConferenceParticipant, ConferenceState } from '../context.js';
import {
  OovooDataEvent,
  OovooErrorEvent,
  OovooJoinEvent,
  OovooLeaveEvent,
  OovooParticipantJoinEvent,
  OovooParticipantLeaveEvent,
  OovooStateChangeEvent,
} from '../events/index.js';
import { CallState } from './call-state.js';
import { HOST_EVENTS } from './host-event-names.js';
import { decodeUserData, encodeUserData } from './user-data.js';

export type RemoteParticipant = Omit<ConferenceParticipant, 'local' | 'speaking' | 'hand'>;

const RESOLUTIONS = { normal: VideoResolution.NORMAL, high: VideoResolution.HIGH, hd: VideoResolution.HD } as const;

/** What a join needs from the element's attributes. */
export interface JoinRequest {
  readonly conferenceId: string;
  readonly uid: string;
  readonly displayName: string;
  readonly userData: string;
  readonly resolution: keyof typeof RESOLUTIONS;
  readonly minFps: number;
  readonly maxFps: number;
  readonly muted: boolean;
  readonly cameraOff: boolean;
  /** The camera and microphone to open ('' or absent: the browser's choice). */
  readonly cameraId?: string;
  readonly microphoneId?: string;
}

/** The element that hosts the controller: it reflects the call's state and hears its failures. */
export interface ConferenceHost extends ReactiveControllerHost, EventTarget {
  state: ConferenceState;
  /** Reflects this participant's hand as the SDK tells it. */
  handRaised: boolean;
  /** A join or a device switch failed. */
  onConferenceError(error: ErrorInfo): void;
  /** One of the SDK's host and lobby events: the call is not a plain one. */
  onHostEvent(name: string, e: unknown): void;
  /** The camera or microphone could not be opened: ACCESS_DENIED or DEVICE_NOT_FOUND. */
  onDeviceProblem(type: string): void;
}

/**
 * Binds one SDK conference to <oovoo-conference>: joins and leaves, follows the SDK's events,
 * keeps who is in the call with their streams and states, and fires the element's `oovoo-*`
 * events. The element keeps the markup; the SDK object never leaks past this class except as
 * the context value the tiles read.
 */
export class ConferenceController implements ReactiveController {
  /** The SDK conference while joining or joined. */
  conference: Conference | undefined;
  /** The local participant's uid while joining or joined. */
  uid: string | undefined;
  localStream: MediaStream | undefined;
  remotes: ReadonlyMap<string, RemoteParticipant> = new Map();
  /** Hands, reactions, speakers, quality and the share. */
  readonly live = new CallState({
    selfUid: () => this.uid,
    changed: () => this.host.requestUpdate(),
    emit: (event) => this.host.dispatchEvent(event),
    ownHand: (raised) => (this.host.handRaised = raised),
  });

  /** This participant's hand is raised (as the SDK has it). */
  get handRaised(): boolean {
    return this.conference?.handRaised ?? false;
  }

  /** Everyone in the call as the tiles and chat see them, this page's participant first; none before the camera. */
  participants(self: {
    name: string | undefined;
    userData: string;
    video: VideoStateType;
    muted: boolean;
  }): ConferenceParticipant[] {
    const { uid, localStream } = this;
    if (!uid || !localStream) return [];
    const local: ConferenceParticipant = {
      uid,
      displayName: self.name || uid,
      userData: self.userData,
      stream: localStream,
      local: true,
      video: self.video,
      muted: self.muted,
      hand: false,
      speaking: false,
    };
    const remotes = [...this.remotes.values()].map((r): ConferenceParticipant => ({
      ...r,
      local: false,
      hand: false,
      speaking: false,
    }));
    return this.live.decorate([local, ...remotes]);
  }
  private conferenceId = '';
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly host: ConferenceHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    // Removed mid-call: leave and end the camera and microphone.
    this.leave();
  }

  /**
   * Joins with the client `<oovoo-login>` provides, as the element's attributes ask; a missing
   * client or conference id is reported as the element's error.
   */
  async joinWith(
    client: ClientContextValue | undefined,
    attrs: Omit<JoinRequest, 'uid' | 'displayName'> & { displayName: string },
  ): Promise<void> {
    if (this.conference) return;
    if (!client || client.state !== ConnectionState.Connected || !client.userId) {
      this.host.onConferenceError(
        OoVooError.unspecified('Not connected: put <oovoo-conference> inside a signed-in <oovoo-login>.').info,
      );
      return;
    }
    if (!attrs.conferenceId) {
      this.host.onConferenceError(OoVooError.badRequest('conference-id is required.').info);
      return;
    }
    const uid = client.userId;
    const { conferenceId, userData, resolution, minFps, maxFps, muted, cameraOff, cameraId, microphoneId } = attrs;
    const displayName = attrs.displayName || client.displayName || uid;
    await this.join(client.client, {
      conferenceId,
      uid,
      displayName,
      userData,
      resolution,
      minFps,
      maxFps,
      muted,
      cameraOff,
      cameraId,
      microphoneId,
    });
  }

  /**
   * Follows the client of `<oovoo-login>`: joins once it is connected when the element wants to
   * (`autojoin`, on the page, idle), and leaves when it signs out under a running call.
   */
  followClient(client: ClientContextValue | undefined, wantsJoin: boolean, join: () => Promise<void>): void {
    if (wantsJoin && client?.state === ConnectionState.Connected) void join();
    if (
      this.conference &&
      client?.state !== ConnectionState.Connected &&
      client?.state !== ConnectionState.Reconnecting
    )
      this.leave();
  }

  /** Joins with the signed-in client; resolves when joined, or after reporting why not. */
  async join(client: OoVooClient, request: JoinRequest): Promise<void> {
    if (this.conference) return;
    // A camera or microphone that starts off is not opened at all until it is turned on.
    const c = client.AVChat.init({
      audio: !request.muted,
      video: !request.cameraOff,
      videoResolution: RESOLUTIONS[request.resolution] ?? VideoResolution.HIGH,
      videoFrameRate: [request.minFps, request.maxFps],
      videoDeviceId: request.cameraId,
      audioDeviceId: request.microphoneId,
    });
    this.conference = c;
    this.uid = request.uid;
    this.conferenceId = request.conferenceId;
    this.host.state = 'joining';
    this.listen(c);
    void c.localStream.then((stream) => {
      if (this.conference !== c) return;
      this.localStream = stream;
      this.host.requestUpdate();
    });
    try {
      await c.join(request.conferenceId, request.uid, encodeUserData(request.displayName, request.userData));
    } catch (e) {
      if (this.conference !== c) return;
      this.end(c, undefined);
      this.host.onConferenceError(OoVooError.from(e).info);
      return;
    }
    if (this.conference !== c) {
      // Left (or removed) while joining: leave what the server just gave us.
      c.leave();
      return;
    }
    this.host.state = 'joined';
    this.host.dispatchEvent(new OovooJoinEvent({ conferenceId: request.conferenceId, uid: request.uid }));
  }

  /** Leaves the call (or gives up joining); the camera and microphone are released. */
  leave(): void {
    const c = this.conference;
    if (!c) return;
    // Joined, the SDK's leave ends the call through its DISCONNECTED state; joining, it has nothing
    // to leave yet, so the call ends here.
    c.leave();
    this.end(c, '');
  }

  setMuted(muted: boolean): void {
    this.conference?.AudioController.setRecorderMute(muted);
  }

  setCameraOff(off: boolean): void {
    if (off) this.conference?.VideoController.stopTransmit();
    else this.conference?.VideoController.startTransmit();
  }

  /** Raises or lowers this participant's hand; a failure is reported, the call goes on. */
  async setHandRaised(raised: boolean): Promise<void> {
    try {
      await this.conference?.setHandRaised(raised);
    } catch (e) {
      this.host.dispatchEvent(new OovooErrorEvent(OoVooError.from(e).info));
    }
  }

  /** Sends a reaction to the room; a refusal (too many at once) is reported, the call goes on. */
  async sendReaction(reaction: Reaction): Promise<void> {
    try {
      await this.conference?.sendReaction(reaction);
    } catch (e) {
      this.host.dispatchEvent(new OovooErrorEvent(OoVooError.from(e).info));
    }
  }

  /** Starts (true) or stops sharing a screen; a refusal (someone else shares, the picker closed) is reported. */
  async setSharing(on: boolean): Promise<void> {
    try {
      await (on ? this.conference?.startScreenShare() : this.conference?.stopScreenShare());
    } catch (e) {
      this.host.dispatchEvent(new OovooErrorEvent(OoVooError.from(e).info));
    }
  }

  /** Switches the camera or microphone of the running call. */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    try {
      await this.conference?.switchDevice(kind, deviceId);
      this.host.requestUpdate();
    } catch (e) {
      this.host.onConferenceError(OoVooError.from(e).info);
    }
  }

  private listen(c: Conference): void {
    const { events } = c;
    this.unsubscribe = [
      ...this.live.listen(c),
      events.on('conferenceStateChanged', (e) => {
        this.host.dispatchEvent(
          new OovooStateChangeEvent(
            e.errorCode === undefined ? { type: e.type } : { type: e.type, errorCode: e.errorCode },
          ),
        );
        if (e.type === ConferenceStateEventType.RECONNECTING) this.host.state = 'reconnecting';
        if (e.type === ConferenceStateEventType.RECONNECTED) this.host.state = 'joined';
        if (e.type === ConferenceStateEventType.DISCONNECTED) this.end(c, e.errorCode ?? '');
        if (e.type === ConferenceStateEventType.ACCESS_DENIED || e.type === ConferenceStateEventType.DEVICE_NOT_FOUND)
          this.host.onDeviceProblem(e.type);
      }),
      events.on('participantJoined', (e) => {
        const local = e.uid === this.uid;
        const { displayName, userData } = decodeUserData(e.user_data, e.uid);
        if (local) this.localStream = e.stream;
        else
          this.setRemote({
            uid: e.uid,
            displayName,
            userData,
            stream: e.stream,
            video: e.video,
            muted: e.muted,
          });
        this.host.requestUpdate();
        this.host.dispatchEvent(new OovooParticipantJoinEvent({ uid: e.uid, displayName, userData, local }));
      }),
      events.on('participantLeft', (e) => {
        const next = new Map(this.remotes);
        next.delete(e.uid);
        this.remotes = next;
        this.host.requestUpdate();
        this.host.dispatchEvent(new OovooParticipantLeaveEvent({ uid: e.uid }));
      }),
      events.on('remoteVideoStateChanged', (e) => this.patchRemote(e.uid, { video: e.state })),
      events.on('remoteAudioStateChanged', (e) => this.patchRemote(e.uid, { muted: e.muted })),
      events.on('receiveData', (e) => this.host.dispatchEvent(new OovooDataEvent({ uid: e.uid, data: e.data }))),
      ...HOST_EVENTS.map((name) => events.on(name, (e: unknown) => this.host.onHostEvent(name, e))),
    ];
  }

  private setRemote(remote: RemoteParticipant): void {
    this.remotes = new Map(this.remotes).set(remote.uid, remote);
  }

  private patchRemote(uid: string, patch: Partial<RemoteParticipant>): void {
    const remote = this.remotes.get(uid);
    if (!remote) return;
    this.setRemote({ ...remote, ...patch });
    this.host.requestUpdate();
  }

  /** The call is over (left, ended, or the join failed: errorCode undefined). Once per conference. */
  private end(c: Conference, errorCode: string | undefined): void {
    if (this.conference !== c) return;
    this.conference = undefined;
    for (const off of this.unsubscribe.splice(0)) off();
    // The SDK leaves the local tracks to the app: end them, so the camera light goes off.
    void c.localStream.then((stream) => {
      for (const track of stream.getTracks()) track.stop();
    });
    this.localStream = undefined;
    this.remotes = new Map();
    this.host.handRaised = false;
    this.live.reset();
    const uid = this.uid ?? '';
    this.uid = undefined;
    this.host.requestUpdate();
    if (errorCode === undefined) return;
    this.host.state = errorCode ? 'error' : 'left';
    this.host.dispatchEvent(new OovooLeaveEvent({ conferenceId: this.conferenceId, uid, errorCode }));
  }
}
