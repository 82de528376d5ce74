import { SCREEN_SHARE_TAKEN_CODE } from '../../protocol/index.js';
import { OoVooError } from '../errors.js';
import type { ConferenceSession } from './conference-session.js';
import { loadCallExtras, type CallExtras } from './load-call-extras.js';
import type { Fire, RemoteRoster } from './remote-roster.js';

const NOT_JOINED = 'Join a conference before sharing a screen.';

export interface Capture {
  readonly stream: MediaStream;
  readonly track: MediaStreamTrack;
  readonly session: ConferenceSession;
}

/**
 * This participant's screen share: the capture (getDisplayMedia), the room's consent (`conf.share`:
 * one sharer per room, the server decides), the topology that sends it as a second video, and its
 * end: stopScreenShare, the browser's own "Stop sharing" (the track ends), leaving, or a rejoin that
 * finds someone else sharing. The others' shares live in the RemoteRoster.
 */
export class ScreenShare {
  /** @internal The share this page sends now (set by shareCapture). */
  capture: Capture | undefined;
  private starting: Promise<object> | undefined;

  constructor(
    /** @internal */
    readonly session: () => ConferenceSession | undefined,
    private readonly roster: RemoteRoster,
    /** @internal */
    readonly fire: Fire,
  ) {}

  /** The screen track this page sends now (null: it shares nothing), for a topology made later. */
  get track(): MediaStreamTrack | null {
    return this.capture?.track ?? null;
  }

  /** Who shares now (this page, with the local capture, or a remote participant) and the stream to show. */
  get active(): { uid: string; stream: MediaStream } | undefined {
    const capture = this.capture;
    return capture ? { uid: capture.session.id.uid, stream: capture.stream } : this.roster.sharer;
  }

  /** Asks for a screen and shares it; a second call while the first runs gets the same answer. */
  start(): Promise<object> {
    return (this.starting ??= this.open().finally(() => (this.starting = undefined)));
  }

  private async open(): Promise<object> {
    const session = this.session();
    if (!session) throw OoVooError.badRequest(NOT_JOINED);
    if (this.capture) return {};
    // Known here already: the picker would be shown for nothing (the server has the last word).
    const other = this.roster.sharer;
    if (other) throw OoVooError.of(SCREEN_SHARE_TAKEN_CODE, `${other.uid} shares a screen now.`);
    if (!navigator.mediaDevices?.getDisplayMedia) throw OoVooError.badRequest('No getDisplayMedia in this browser.');
    // First, while the page still has the user's gesture (the browser asks for one); the rest of the
    // start comes with the call extras.
    const captured = navigator.mediaDevices.getDisplayMedia({ video: true });
    // A refusal that comes while the extras load is not unhandled: shareCapture or the catch below takes it.
    captured.catch(() => undefined);
    let extras: CallExtras;
    try {
      extras = await loadCallExtras();
    } catch (e) {
      void captured.then(
        (stream) => stream.getTracks().forEach((t) => t.stop()),
        () => undefined,
      );
      throw OoVooError.from(e);
    }
    return extras.shareCapture(this, session, captured);
  }

  /** Stops sharing: the capture ends at once, the others are told (after a reconnect, if need be). */
  async stop(): Promise<object> {
    const capture = this.capture;
    if (!capture) return {};
    this.end();
    if (this.session() === capture.session) {
      capture.session.topology.setScreenTrack(null);
      this.tellStopped(capture.session);
    }
    return {};
  }

  /** Ends the share on this page (capture stopped, screenShareStopped): on leaving, the server ends it by itself. */
  end(): void {
    const capture = this.capture;
    if (!capture) return;
    this.capture = undefined;
    for (const t of capture.stream.getTracks()) t.stop();
    this.fire('screenShareStopped', { uid: capture.session.id.uid });
  }

  /** After a rejoin: tells the room again; someone else who took the room's share meanwhile ends this one. */
  announce(session: ConferenceSession): void {
    if (this.capture?.session !== session) return;
    session.request({ t: 'conf.share', active: true }).catch((e: unknown) => {
      if (e instanceof OoVooError && e.code === SCREEN_SHARE_TAKEN_CODE && this.capture?.session === session) {
        session.topology.setScreenTrack(null);
        this.end();
      }
    });
  }

  /** @internal Durable: a stop during a drop is sent after the rejoin, so the room does not keep a share that ended. */
  tellStopped(session: ConferenceSession): void {
    session
      .request({ t: 'conf.share', active: false }, { durable: true, keep: () => this.session() === session })
      .catch(() => undefined);
  }
}
