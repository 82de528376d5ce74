import type { FeatureFrame, ParticipantInfo } from '../../protocol/index.js';
import { VideoStateType } from '../enums.js';
import type { ConferenceEvents, RemoteParticipantInfo } from './events.js';
import type { VideoSource } from './media-topology.js';

/** Fires one conference event (the facade's `on*` property and emitter). */
export type Fire = <K extends keyof ConferenceEvents>(name: K, evt: Parameters<ConferenceEvents[K]>[0]) => void;

interface RemoteParticipant {
  readonly uid: string;
  readonly userData: string;
  /** One stream per participant for the conference's life: tracks are swapped in when links are remade. */
  readonly stream: MediaStream;
  /** The screen it shares, a stream of its own (same life as `stream`; its track is reused by later shares). */
  readonly screen: MediaStream;
  video: 'PLAY' | 'PAUSED';
  /** Its microphone is muted (told by the server's `conf.audio`). */
  muted: boolean;
  /** Its hand is raised (told by the server's `conf.hand`). */
  hand: boolean;
  /** It shares its screen (told by the server's `conf.share`). */
  sharing: boolean;
  /** False after unRegisterRemote. */
  registered: boolean;
  /** Set after a rejoin that did not list it: it leaves unless it shows up within the grace period. */
  missingTimer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The remote participants of a conference: their streams, video and microphone states, whether
 * this page receives their video, and the events that tell the app about them.
 */
export class RemoteRoster {
  private readonly remotes = new Map<string, RemoteParticipant>();
  /** Read-only outside: changed through setPlaybackMute. */
  playbackMuted = false;

  constructor(private readonly fire: Fire) {}

  get uids(): string[] {
    return [...this.remotes.keys()];
  }

  has(uid: string): boolean {
    return this.remotes.has(uid);
  }

  /** What is known of one remote participant now, for UIs that start late. */
  info(uid: string): RemoteParticipantInfo | undefined {
    const r = this.remotes.get(uid);
    return (
      r && {
        uid,
        user_data: r.userData,
        stream: r.stream,
        video: videoState(r),
        muted: r.muted,
        hand: r.hand,
        ...(r.sharing ? { screen: r.screen } : {}),
      }
    );
  }

  /** The remote participant that shares its screen now, and that screen's stream. */
  get sharer(): { uid: string; stream: MediaStream } | undefined {
    for (const r of this.remotes.values()) if (r.sharing) return { uid: r.uid, stream: r.screen };
    return undefined;
  }

  /** Adds a participant (firing participantJoined), or refreshes one already here; true when new. */
  add(info: ParticipantInfo): boolean {
    const known = this.remotes.get(info.uid);
    if (known) {
      this.found(known);
      known.video = info.video;
      known.muted = info.muted === true;
      this.setHand(info.uid, info.hand === true);
      this.setShare(info.uid, info.share === true);
      return false;
    }
    const remote: RemoteParticipant = {
      uid: info.uid,
      userData: info.userData,
      stream: new MediaStream(),
      screen: new MediaStream(),
      video: info.video,
      muted: info.muted === true,
      hand: info.hand === true,
      sharing: false,
      registered: true,
      missingTimer: undefined,
    };
    this.remotes.set(info.uid, remote);
    this.fire('participantJoined', {
      uid: info.uid,
      stream: remote.stream,
      user_data: info.userData,
      video: info.video,
      muted: remote.muted,
      hand: remote.hand,
    });
    // A share already on when this page joined (or came back): told after the participant itself.
    this.setShare(info.uid, info.share === true);
    return true;
  }

  /** Removes a participant: its tracks end and participantLeft fires. */
  remove(uid: string): boolean {
    const remote = this.remotes.get(uid);
    if (!remote) return false;
    clearTimeout(remote.missingTimer);
    this.setShare(uid, false);
    this.remotes.delete(uid);
    for (const stream of [remote.stream, remote.screen]) {
      for (const track of stream.getTracks()) {
        track.stop();
        stream.removeTrack(track);
      }
    }
    this.fire('participantLeft', { uid });
    return true;
  }

  /** After a rejoin that did not list these participants: each leaves unless it comes back within `graceMs`. */
  expectBack(listed: ReadonlySet<string>, graceMs: number, gone: (uid: string) => void): void {
    for (const remote of this.remotes.values()) {
      if (listed.has(remote.uid) || remote.missingTimer) continue;
      // Maybe the server restarted and they have not come back yet.
      remote.missingTimer = setTimeout(() => gone(remote.uid), graceMs);
    }
  }

  /** A remote track arrived (or replaced the previous one of its kind and source). */
  addTrack(uid: string, track: MediaStreamTrack, source: VideoSource = 'camera'): void {
    const remote = this.remotes.get(uid);
    if (!remote) return;
    const stream = source === 'screen' ? remote.screen : remote.stream;
    for (const old of stream.getTracks()) {
      if (old.kind === track.kind && old !== track) stream.removeTrack(old);
    }
    if (track.kind === 'audio') track.enabled = !this.playbackMuted;
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
  }

  /** A disabled remote track plays silence, whatever element the app attached it to. */
  setPlaybackMute(muted: boolean): void {
    this.playbackMuted = muted;
    for (const remote of this.remotes.values())
      for (const track of remote.stream.getAudioTracks()) track.enabled = !muted;
  }

  /** Takes a frame that only changes what the others show, or is their event (true when it was one). */
  takeFrame(f: FeatureFrame): boolean {
    if (f.t === 'conf.video') this.setVideo(f.uid, f.state);
    else if (f.t === 'conf.audio') this.setMuted(f.uid, f.muted);
    else if (f.t === 'conf.hand') this.setHand(f.uid, f.raised);
    else if (f.t === 'conf.share') this.setShare(f.uid, f.active);
    else if (f.t === 'conf.reaction') this.fire('reaction', { uid: f.uid, reaction: f.reaction });
    else if (f.t === 'conf.data') this.fire('receiveData', { uid: f.from, data: f.data });
    else return false;
    return true;
  }

  /** The server's `conf.video`: fires remoteVideoStateChanged while this page receives its video. */
  setVideo(uid: string, state: 'PLAY' | 'PAUSED'): void {
    const remote = this.remotes.get(uid);
    if (!remote) return;
    remote.video = state;
    if (remote.registered) this.fire('remoteVideoStateChanged', { uid, state, stream: remote.stream });
  }

  /** The server's `conf.audio`. */
  setMuted(uid: string, muted: boolean): void {
    const remote = this.remotes.get(uid);
    if (!remote || remote.muted === muted) return;
    remote.muted = muted;
    this.fire('remoteAudioStateChanged', { uid, muted });
  }

  /** The server's `conf.hand` (or a rejoin's list): fires handChanged when it changed. */
  setHand(uid: string, raised: boolean): void {
    const remote = this.remotes.get(uid);
    if (!remote || remote.hand === raised) return;
    remote.hand = raised;
    this.fire('handChanged', { uid, raised });
  }

  /** The server's `conf.share` (or a join's list): fires screenShareStarted / screenShareStopped when it changed. */
  setShare(uid: string, sharing: boolean): void {
    const remote = this.remotes.get(uid);
    if (!remote || remote.sharing === sharing) return;
    remote.sharing = sharing;
    if (sharing) this.fire('screenShareStarted', { uid, stream: remote.screen });
    else this.fire('screenShareStopped', { uid });
  }

  /** registerRemote / unRegisterRemote; true when that changed anything. */
  setRegistered(uid: string, registered: boolean): boolean {
    const remote = this.remotes.get(uid);
    if (!remote || remote.registered === registered) return false;
    remote.registered = registered;
    this.fire('remoteVideoStateChanged', { uid, state: videoState(remote), stream: remote.stream });
    return true;
  }

  /** Participants whose video this page asked not to receive. */
  get unregistered(): string[] {
    return [...this.remotes.values()].filter((r) => !r.registered).map((r) => r.uid);
  }

  private found(remote: RemoteParticipant): void {
    clearTimeout(remote.missingTimer);
    remote.missingTimer = undefined;
  }
}

function videoState(r: RemoteParticipant): VideoStateType {
  return r.registered ? r.video : VideoStateType.STOPPED;
}
