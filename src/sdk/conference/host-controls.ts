import type { Emitter } from 'nanoevents';
import type { ConferenceRole, FeatureFrame, RoomStateFrame } from '../../protocol/index.js';
import { ConferenceStateEventType, ConnectionState } from '../enums.js';
import { OoVooError, settle, type ResultCallback } from '../errors.js';
import { toUserId } from '../ids.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { ConferenceSession } from './conference-session.js';
import type { AudioController, VideoController } from './controllers.js';
import type { ConferenceEvents } from './events.js';
import type { LobbyKnock } from './host-events.js';
import type { Fire } from './remote-roster.js';

/** The parts of its conference object the host controller uses: a host's mute and stop go through the controllers. */
export interface HostedConference {
  readonly events: Emitter<ConferenceEvents>;
  readonly AudioController: AudioController;
  readonly VideoController: VideoController;
}

interface RoomState {
  role: ConferenceRole;
  locked: boolean;
  lobby: boolean;
}
const PLAIN_ROOM: RoomState = { role: 'participant', locked: false, lobby: false };

/**
 * The work behind `avchatObj.HostController` (host-controller.ts; this class comes with the call
 * extras, loaded once a room has a host, a lock or a lobby, or an app calls a host action).
 * A host (a role its session token carries) asks a participant to mute, stops its video, removes it,
 * locks the room and runs its lobby; every participant learns its role and the room's state here,
 * and obeys a host's mute and stop. The server decides every request (a participant's gets -35001).
 * Methods take an optional spec-style callback and return a Promise; events go to the conference's
 * emitter (and its `on*` properties): see host-events.ts.
 */
export class HostControls {
  private state: RoomState = { ...PLAIN_ROOM };
  private readonly hostUids = new Set<string>();
  private readonly knocks = new Map<string, LobbyKnock>();
  private lobbyWait: { hostPresent: boolean } | undefined;
  /** The conference being joined or in: its frames are read until it ends. */
  private watched: { conf: string; uid: string; signal: SignalClient; stop: () => void } | undefined;
  /** A rejoin is under way: the room's state comes again (a `conf.room`, or nothing for a plain room). */
  private stale = false;

  constructor(
    private readonly session: () => ConferenceSession | undefined,
    private readonly fire: Fire,
    private readonly conference: HostedConference,
  ) {}

  /** This participant's role in the conference ('participant' until the server says 'host'). */
  get role(): ConferenceRole {
    return this.state.role;
  }
  /** Whether a host locked the room: participants' joins are refused. */
  get locked(): boolean {
    return this.state.locked;
  }
  /** Whether the room's lobby is on: participants' joins wait for a host. */
  get lobbyEnabled(): boolean {
    return this.state.lobby;
  }
  /** The hosts in the room now (this participant too, when it is one). */
  get hosts(): string[] {
    return [...this.hostUids];
  }
  /** Hosts only: the joins waiting in the lobby, oldest first. */
  get waiting(): LobbyKnock[] {
    return [...this.knocks.values()];
  }
  /** Whether this page's join waits in the lobby now. */
  get inLobby(): boolean {
    return this.lobbyWait !== undefined;
  }

  /** Asks a participant to mute its microphone; it is told, and only it can unmute. Resolves `{ delivered }`. */
  muteParticipant(uid: string, cb?: ResultCallback): Promise<object> {
    return this.act(uid, (to) => ({ t: 'conf.host.mute', uid: to }), cb);
  }
  /** Stops a participant's video; it is told, and only it can start it again. Resolves `{ delivered }`. */
  stopParticipantVideo(uid: string, cb?: ResultCallback): Promise<object> {
    return this.act(uid, (to) => ({ t: 'conf.host.video', uid: to }), cb);
  }
  /** Removes a participant: it gets DISCONNECTED ('removed', with the reason) and cannot join this room again. */
  removeParticipant(uid: string, reason?: string | ResultCallback, cb?: ResultCallback): Promise<object> {
    if (typeof reason === 'function') [cb, reason] = [reason, undefined];
    return this.act(uid, (to) => ({ t: 'conf.host.remove', uid: to, ...textField(reason) }), cb);
  }
  /** Lets one waiting join in. */
  admit(uid: string, cb?: ResultCallback): Promise<object> {
    return this.act(uid, (to) => ({ t: 'conf.host.admit', uid: to }), cb);
  }
  /** Refuses one waiting join (its join fails with -60311 and the reason). */
  deny(uid: string, reason?: string | ResultCallback, cb?: ResultCallback): Promise<object> {
    if (typeof reason === 'function') [cb, reason] = [reason, undefined];
    return this.act(uid, (to) => ({ t: 'conf.host.deny', uid: to, ...textField(reason) }), cb);
  }
  /** Locks (true) or unlocks the room: while locked, participants' joins are refused (-60310). */
  lockRoom(locked: boolean, cb?: ResultCallback): Promise<object> {
    return settle(this.setRoom('locked', locked), cb);
  }
  /** Turns the lobby on or off: while on, participants' joins wait for a host; off lets those waiting in. */
  setLobby(enabled: boolean, cb?: ResultCallback): Promise<object> {
    return settle(this.setRoom('lobby', enabled), cb);
  }

  /**
   * @internal A join of `conf` started: its state is followed until the conference ends. Its frames
   * come through `handleFrame` from the HostController, whose listener was added before the session's
   * (a removal is told before the session's DISCONNECTED).
   */
  watch(signal: SignalClient, conf: string, uid: string, joined: Promise<unknown>): void {
    this.unwatch();
    const offState = signal.events.on('state', (s) => {
      if (s === ConnectionState.Reconnecting) this.stale = true;
    });
    const offConference = this.conference.events.on('conferenceStateChanged', (e) => {
      if (e.type === ConferenceStateEventType.DISCONNECTED) this.unwatch();
      // A rejoin that brought no conf.room: a plain room now.
      else if (e.type === ConferenceStateEventType.RECONNECTED && this.stale) this.applyRoom({ ...PLAIN_ROOM }, []);
    });
    const stop = () => [offState, offConference].forEach((off) => off());
    const watched = (this.watched = { conf, uid, signal, stop });
    joined.then(
      () => (this.lobbyWait = undefined),
      () => this.watched === watched && this.unwatch(),
    );
  }

  /** @internal Leaving while the join waits in the lobby: the server ends the wait (the join fails). */
  leaveLobby(): void {
    const w = this.watched;
    if (w && this.lobbyWait) void w.signal.request({ t: 'conf.lobby.leave', conf: w.conf }).catch(() => undefined);
  }

  private unwatch(): void {
    this.watched?.stop();
    this.watched = undefined;
    this.lobbyWait = undefined;
    this.stale = false;
    this.state = { ...PLAIN_ROOM };
    this.hostUids.clear();
    this.knocks.clear();
  }

  private act(uidIn: unknown, frame: (uid: string) => { t: string }, cb?: ResultCallback): Promise<object> {
    const run = async () => {
      const session = this.session();
      if (!session) throw OoVooError.badRequest('Join a conference first.');
      const uid = toUserId(uidIn);
      if (uid === undefined) throw OoVooError.badRequest('uid must be a participant id.');
      // Mute and stop answer `{ delivered }` (false: it is away now, and nothing changed).
      const result = await session.request(frame(uid));
      return typeof result === 'object' && result !== null ? result : {};
    };
    return settle(run(), cb);
  }

  private async setRoom(key: 'locked' | 'lobby', on: unknown): Promise<object> {
    const session = this.session();
    if (!session) throw OoVooError.badRequest('Join a conference first.');
    if (typeof on !== 'boolean') throw OoVooError.badRequest('Pass true or false.');
    await session.request(
      key === 'locked' ? { t: 'conf.host.lock', locked: on } : { t: 'conf.host.lobby', enabled: on },
    );
    this.set(key, on, session.id.uid);
    return {};
  }

  private set(key: 'locked' | 'lobby', on: boolean, by?: string): void {
    if (this.state[key] === on) return;
    this.state[key] = on;
    const who = by === undefined ? {} : { by };
    if (key === 'locked') this.fire('roomLockChanged', { locked: on, ...who });
    else this.fire('lobbyChanged', { enabled: on, ...who });
  }

  /** Changes the hosts; when the set changed, tells it (a participant's panel marks the hosts). */
  private setHosts(change: () => unknown): void {
    const before = [...this.hostUids].join(' ');
    change();
    if ([...this.hostUids].join(' ') !== before) this.fire('hostsChanged', { hosts: this.hosts });
  }

  private applyRoom(state: RoomState, hosts: readonly string[], waiting?: RoomStateFrame['waiting']): void {
    this.stale = false;
    const roleChanged = this.state.role !== state.role;
    this.state.role = state.role;
    this.setHosts(() => {
      this.hostUids.clear();
      for (const uid of hosts) this.hostUids.add(uid);
    });
    if (roleChanged) this.fire('roleChanged', { role: state.role });
    this.set('locked', state.locked);
    this.set('lobby', state.lobby);
    const before = this.knocks.size;
    this.knocks.clear();
    for (const k of waiting ?? []) this.knocks.set(k.uid, { uid: k.uid, user_data: k.userData });
    if (before > 0 || this.knocks.size > 0) this.fire('knocksChanged', { waiting: this.waiting });
  }

  /** @internal One frame of the watched conference (also those that came while this code loaded). */
  handleFrame(f: FeatureFrame): void {
    const w = this.watched;
    if (!w || !('conf' in f) || f.conf !== w.conf) return;
    const { fire, conference } = this;
    switch (f.t) {
      case 'conf.room':
        this.applyRoom(
          { role: f.role === 'host' ? 'host' : 'participant', locked: f.locked, lobby: f.lobby },
          f.hosts,
          f.waiting,
        );
        return;
      case 'conf.host.lock':
        this.set('locked', f.locked, f.uid);
        return;
      case 'conf.host.lobby':
        this.set('lobby', f.enabled, f.uid);
        return;
      case 'conf.host.mute':
        conference.AudioController.setRecorderMute(true);
        fire('mutedByHost', { by: f.from });
        return;
      case 'conf.host.video':
        conference.VideoController.stopTransmit();
        fire('videoStoppedByHost', { by: f.from });
        return;
      case 'conf.lobby.wait':
        this.lobbyWait = { hostPresent: f.hostPresent };
        fire('lobbyWaiting', { hostPresent: f.hostPresent, timeoutMs: f.timeoutMs });
        return;
      case 'conf.lobby.knock': {
        const knock = { uid: f.uid, user_data: f.userData };
        this.knocks.set(f.uid, knock);
        fire('knock', knock);
        fire('knocksChanged', { waiting: this.waiting });
        return;
      }
      case 'conf.lobby.gone':
        if (this.knocks.delete(f.uid)) fire('knocksChanged', { waiting: this.waiting });
        return;
      case 'conf.joined': {
        const { uid, host } = f.participant;
        this.setHosts(() => (host ? this.hostUids.add(uid) : this.hostUids.delete(uid)));
        return;
      }
      case 'conf.left':
        this.setHosts(() => this.hostUids.delete(f.uid));
        if (f.uid === w.uid && f.reason === 'removed')
          fire('removedByHost', { by: f.by ?? '', ...(f.message ? { reason: f.message } : {}) });
        return;
    }
  }
}

/** A host's reason, when it is a non-empty string. */
function textField(reason: unknown): { reason?: string } {
  return typeof reason === 'string' && reason !== '' ? { reason } : {};
}
