import type { ConferenceRole, FeatureFrame } from '../../protocol/index.js';
import { ConferenceStateEventType } from '../enums.js';
import { settle, type ResultCallback } from '../errors.js';
import type { SignalClient } from '../signaling/signal-client.js';
import type { ConferenceSession } from './conference-session.js';
import type { HostControls, HostedConference } from './host-controls.js';
import type { LobbyKnock } from './host-events.js';
import { loadCallExtras } from './load-call-extras.js';
import type { Fire } from './remote-roster.js';

/** A frame that only a room with a host, a lock or a lobby sends. */
function isHostFrame(f: FeatureFrame): boolean {
  const t = String(f.t);
  if (t === 'conf.room' || t.startsWith('conf.host.') || t.startsWith('conf.lobby.')) return true;
  const frame = f as { participant?: { host?: boolean }; reason?: string };
  return (t === 'conf.joined' && frame.participant?.host === true) || (t === 'conf.left' && frame.reason === 'removed');
}

interface Watched {
  readonly signal: SignalClient;
  readonly conf: string;
  readonly uid: string;
  readonly joined: Promise<unknown>;
  /** The room's frames from its first host frame on, until the controls' code is there. */
  readonly early: FeatureFrame[];
  readonly stop: () => void;
}

/**
 * Our addition beside the spec's AudioController and VideoController: `avchatObj.HostController`.
 * A host (a role its session token carries) asks a participant to mute, stops its video, removes it,
 * locks the room and runs its lobby; every participant learns its role and the room's state here,
 * and obeys a host's mute and stop. A plain room (no host, lock or lobby) never needs more than this
 * class: the work (HostControls) comes with the call extras, loaded on the room's first host frame
 * (held and replayed in order) or the first host action. Methods take an optional spec-style
 * callback and return a Promise; events go to the conference's emitter: see host-events.ts.
 */
export class HostController {
  private controls: HostControls | undefined;
  private loading: Promise<HostControls> | undefined;
  private watched: Watched | undefined;

  constructor(
    private readonly session: () => ConferenceSession | undefined,
    private readonly fire: Fire,
    private readonly conference: HostedConference,
  ) {}

  /** This participant's role in the conference ('participant' until the server says 'host'). */
  get role(): ConferenceRole {
    return this.controls?.role ?? 'participant';
  }
  /** Whether a host locked the room: participants' joins are refused. */
  get locked(): boolean {
    return this.controls?.locked ?? false;
  }
  /** Whether the room's lobby is on: participants' joins wait for a host. */
  get lobbyEnabled(): boolean {
    return this.controls?.lobbyEnabled ?? false;
  }
  /** The hosts in the room now (this participant too, when it is one). */
  get hosts(): string[] {
    return this.controls?.hosts ?? [];
  }
  /** Hosts only: the joins waiting in the lobby, oldest first. */
  get waiting(): LobbyKnock[] {
    return this.controls?.waiting ?? [];
  }
  /** Whether this page's join waits in the lobby now. */
  get inLobby(): boolean {
    return this.controls?.inLobby ?? false;
  }

  /** Asks a participant to mute its microphone; it is told, and only it can unmute. Resolves `{ delivered }`. */
  muteParticipant(uid: string, cb?: ResultCallback): Promise<object> {
    return this.run((c) => c.muteParticipant(uid), cb);
  }
  /** Stops a participant's video; it is told, and only it can start it again. Resolves `{ delivered }`. */
  stopParticipantVideo(uid: string, cb?: ResultCallback): Promise<object> {
    return this.run((c) => c.stopParticipantVideo(uid), cb);
  }
  /** Removes a participant: it gets DISCONNECTED ('removed', with the reason) and cannot join this room again. */
  removeParticipant(uid: string, reason?: string | ResultCallback, cb?: ResultCallback): Promise<object> {
    if (typeof reason === 'function') [cb, reason] = [reason, undefined];
    return this.run((c) => c.removeParticipant(uid, reason), cb);
  }
  /** Lets one waiting join in. */
  admit(uid: string, cb?: ResultCallback): Promise<object> {
    return this.run((c) => c.admit(uid), cb);
  }
  /** Refuses one waiting join (its join fails with -60311 and the reason). */
  deny(uid: string, reason?: string | ResultCallback, cb?: ResultCallback): Promise<object> {
    if (typeof reason === 'function') [cb, reason] = [reason, undefined];
    return this.run((c) => c.deny(uid, reason), cb);
  }
  /** Locks (true) or unlocks the room: while locked, participants' joins are refused (-60310). */
  lockRoom(locked: boolean, cb?: ResultCallback): Promise<object> {
    return this.run((c) => c.lockRoom(locked), cb);
  }
  /** Turns the lobby on or off: while on, participants' joins wait for a host; off lets those waiting in. */
  setLobby(enabled: boolean, cb?: ResultCallback): Promise<object> {
    return this.run((c) => c.setLobby(enabled), cb);
  }

  /**
   * @internal A join of `conf` started (before the session listens): its frames go to the controls
   * from now until the conference ends, or, until their code is there, wait from the room's first host
   * frame on.
   */
  watch(signal: SignalClient, conf: string, uid: string, joined: Promise<unknown>): void {
    this.unwatch();
    const early: FeatureFrame[] = [];
    const offFrame = signal.events.on('frame', (f) => {
      if (!('conf' in f) || f.conf !== conf) return;
      if (this.controls) this.controls.handleFrame(f);
      else if (early.length > 0 || isHostFrame(f)) {
        early.push(f);
        void this.load().catch(() => undefined);
      }
    });
    const offConference = this.conference.events.on('conferenceStateChanged', (e) => {
      if (e.type === ConferenceStateEventType.DISCONNECTED) this.unwatch();
    });
    const watched: Watched = (this.watched = {
      signal,
      conf,
      uid,
      joined,
      early,
      stop: () => {
        offFrame();
        offConference();
      },
    });
    this.controls?.watch(signal, conf, uid, joined);
    joined.catch(() => this.watched === watched && this.unwatch());
  }

  /** @internal Leaving while the join waits in the lobby: the server ends the wait (the join fails). */
  leaveLobby(): void {
    const w = this.watched;
    if (this.controls) this.controls.leaveLobby();
    else if (w?.early.some((f) => f.t === 'conf.lobby.wait'))
      void w.signal.request({ t: 'conf.lobby.leave', conf: w.conf }).catch(() => undefined);
  }

  /** Stops listening; frames held for controls still loading are kept for them (a removal, say). */
  private unwatch(): void {
    this.watched?.stop();
    if (this.controls || !this.watched?.early.length) this.watched = undefined;
  }

  private run(act: (controls: HostControls) => Promise<object>, cb?: ResultCallback): Promise<object> {
    return settle(this.load().then(act), cb);
  }

  /** The controls, their code loaded once; a watched conference passes to them with the frames held so far. */
  private load(): Promise<HostControls> {
    return (this.loading ??= loadCallExtras().then(
      ({ HostControls }) => {
        const controls = (this.controls ??= new HostControls(this.session, this.fire, this.conference));
        const w = this.watched;
        if (w) {
          controls.watch(w.signal, w.conf, w.uid, w.joined);
          for (const f of w.early.splice(0)) controls.handleFrame(f);
        }
        return controls;
      },
      (e: unknown) => {
        this.loading = undefined;
        throw e;
      },
    ));
  }
}
