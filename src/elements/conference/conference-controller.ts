import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ErrorInfo } from '../../protocol/errors.js';
import type { OoVooClient } from '../../sdk/client.js';
import type { Conference } from '../../sdk/conference/index.js';
import { ConferenceStateEventType, VideoResolution, type VideoStateType } from '../../sdk/enums.js';
import { OoVooError } from '../../sdk/errors.js';
import type { ConferenceParticipant, ConferenceState } from '../context.js';
import {
  OovooDataEvent,
  OovooJoinEvent,
  OovooLeaveEvent,
  OovooParticipantJoinEvent,
  OovooParticipantLeaveEvent,
  OovooStateChangeEvent,
} from '../events/index.js';
import { decodeUserData, encodeUserData } from './user-data.js';

export type RemoteParticipant = Omit<ConferenceParticipant, 'local'>;

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
}

/** The element that hosts the controller: it reflects the call's state and hears its failures. */
export interface ConferenceHost extends ReactiveControllerHost, EventTarget {
  state: ConferenceState;
  /** A join or a device switch failed. */
  onConferenceError(error: ErrorInfo): void;
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
    };
    return [local, ...[...this.remotes.values()].map((r) => ({ ...r, local: false }))];
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

  /** Joins with the signed-in client; resolves when joined, or after reporting why not. */
  async join(client: OoVooClient, request: JoinRequest): Promise<void> {
    if (this.conference) return;
    const c = client.AVChat.init({
      audio: true,
      video: true,
      videoResolution: RESOLUTIONS[request.resolution] ?? VideoResolution.HIGH,
      videoFrameRate: [request.minFps, request.maxFps],
    });
    this.conference = c;
    this.uid = request.uid;
    this.conferenceId = request.conferenceId;
    this.host.state = 'joining';
    c.AudioController.setRecorderMute(request.muted);
    if (request.cameraOff) c.VideoController.stopTransmit();
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
      events.on('conferenceStateChanged', (e) => {
        this.host.dispatchEvent(
          new OovooStateChangeEvent(
            e.errorCode === undefined ? { type: e.type } : { type: e.type, errorCode: e.errorCode },
          ),
        );
        if (e.type === ConferenceStateEventType.RECONNECTING) this.host.state = 'reconnecting';
        if (e.type === ConferenceStateEventType.RECONNECTED) this.host.state = 'joined';
        if (e.type === ConferenceStateEventType.DISCONNECTED) this.end(c, e.errorCode ?? '');
      }),
      events.on('participantJoined', (e) => {
        const local = e.uid === this.uid;
        const { displayName, userData } = decodeUserData(e.user_data, e.uid);
        if (local) this.localStream = e.stream;
        else this.setRemote({ uid: e.uid, displayName, userData, stream: e.stream, video: e.video, muted: e.muted });
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
    const uid = this.uid ?? '';
    this.uid = undefined;
    this.host.requestUpdate();
    if (errorCode === undefined) return;
    this.host.state = errorCode ? 'error' : 'left';
    this.host.dispatchEvent(new OovooLeaveEvent({ conferenceId: this.conferenceId, uid, errorCode }));
  }
}
