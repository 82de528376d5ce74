// One Janus plugin handle (an `attach`): plugin messages with their answers, trickled candidates,
// hangup and detach, and the events Janus sends about this handle. Made by JanusClient.attach.
import { createNanoEvents, type Emitter, type Unsubscribe } from 'nanoevents';
import {
  JanusError,
  pluginError,
  type HandleEvents,
  type JanusMessage,
  type Jsep,
  type PluginData,
  type TrickleCandidate,
} from './janus-messages.js';

/** What a handle needs from its client: requests on the session it was made in. */
export interface HandleTransport {
  /** Sends a request of the handle's session; `completesOnAck` for requests Janus only acknowledges. */
  request(body: Record<string, unknown>, label: string, epoch: number, completesOnAck?: boolean): Promise<JanusMessage>;
  /** Forgets the handle (it is detached). */
  release(handleId: number): void;
}

/** A plugin's answer to a message: its data and, for negotiations, an SDP. */
export interface PluginReply {
  readonly data: PluginData;
  readonly jsep: Jsep | undefined;
}

export class JanusHandle {
  private readonly emitter: Emitter<HandleEvents> = createNanoEvents<HandleEvents>();
  private gone = false;

  constructor(
    private readonly transport: HandleTransport,
    /** Janus's handle id: stays on the server side, never sent to a browser. */
    readonly id: number,
    readonly plugin: string,
    /** The session epoch this handle belongs to (JanusClient's `epoch` when it was attached). */
    readonly epoch: number,
  ) {}

  /** False once detached, or once its session was lost. */
  get alive(): boolean {
    return !this.gone;
  }

  on<E extends keyof HandleEvents>(event: E, listener: HandleEvents[E]): Unsubscribe {
    return this.emitter.on(event, listener);
  }

  /**
   * Sends a plugin request (`body.request` names it) and resolves with the plugin's answer, whether
   * Janus answers at once (`success`) or later (`ack`, then an `event` with our transaction).
   * A plugin error (`error_code`) rejects with a JanusError of kind 'plugin'.
   */
  async message(body: Record<string, unknown>, jsep?: Jsep): Promise<PluginReply> {
    const label = `${this.plugin}.${typeof body.request === 'string' ? body.request : 'message'}`;
    const reply = await this.send({ janus: 'message', body, ...(jsep ? { jsep } : {}) }, label);
    const data = reply.plugindata ?? {};
    const failure = pluginError(data);
    if (failure) throw JanusError.fromPlugin(label, failure.code, failure.reason);
    if (reply.janus !== 'success' && reply.janus !== 'event') throw JanusError.protocol(`${reply.janus} to ${label}`);
    return { data, jsep: reply.jsep };
  }

  /** Trickles the peer's candidates to Janus (`{ completed: true }` ends them). */
  async trickle(candidates: TrickleCandidate | readonly TrickleCandidate[]): Promise<void> {
    const body = Array.isArray(candidates) ? { candidates } : { candidate: candidates };
    await this.send({ janus: 'trickle', ...body }, 'trickle', true);
  }

  /** Closes the handle's PeerConnection; the handle stays attached. */
  async hangup(): Promise<void> {
    await this.send({ janus: 'hangup' }, 'hangup');
  }

  /** Detaches the handle; a handle whose session is already gone resolves at once. */
  async detach(): Promise<void> {
    if (this.gone) return;
    try {
      await this.send({ janus: 'detach' }, 'detach');
    } finally {
      this.markGone();
    }
  }

  /** Called by the client for events whose `sender` is this handle. */
  dispatch(message: JanusMessage): void {
    const raw = message.raw;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    switch (message.janus) {
      case 'event':
        this.emitter.emit('event', message.plugindata ?? {}, message.jsep);
        break;
      case 'webrtcup':
        this.emitter.emit('webrtcup');
        break;
      case 'media':
        this.emitter.emit('media', {
          type: str(raw.type) ?? 'unknown',
          mid: str(raw.mid),
          receiving: raw.receiving === true,
        });
        break;
      case 'slowlink':
        this.emitter.emit('slowlink', {
          uplink: raw.uplink === true,
          mid: str(raw.mid),
          media: str(raw.media),
          lost: typeof raw.lost === 'number' ? raw.lost : 0,
        });
        break;
      case 'hangup':
        this.emitter.emit('hangup', str(raw.reason) ?? 'unknown');
        break;
      case 'detached':
        this.markGone();
        break;
      case 'trickle':
        if (typeof raw.candidate === 'object' && raw.candidate !== null)
          this.emitter.emit('trickle', raw.candidate as TrickleCandidate);
        break;
    }
  }

  /** The handle is gone (detached, or its session lost): tells listeners once. */
  markGone(): void {
    if (this.gone) return;
    this.gone = true;
    this.transport.release(this.id);
    this.emitter.emit('detached');
  }

  private send(body: Record<string, unknown>, label: string, completesOnAck = false): Promise<JanusMessage> {
    if (this.gone) return Promise.reject(JanusError.connectionLost(`${label} (handle detached)`));
    return this.transport.request({ ...body, handle_id: this.id }, label, this.epoch, completesOnAck);
  }
}
