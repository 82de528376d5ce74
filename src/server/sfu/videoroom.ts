// Janus VideoRoom operations for the broker: rooms (create/destroy on a control handle), one publisher
// handle per participant (join, publish an offer, trickle, unpublish/leave) and one multistream
// subscriber handle per participant (join with streams -> Janus's offer, start with the answer,
// update with subscribe/unsubscribe in one request, configure per mid for the simulcast layer).
// Janus ids (rooms, feeds, handles) stay here and in the conference layer: browsers see mids and uids.
import { createNanoEvents, type Unsubscribe } from 'nanoevents';
import type { JanusClient } from './janus-client.js';
import type { JanusHandle } from './janus-handle.js';
import { isObject, numberOr, stringOr, type HandleEvents, type Jsep, type TrickleCandidate } from './janus-messages.js';
import {
  VIDEOROOM_PLUGIN,
  expect,
  forBrowser,
  fromJanus,
  parseSubscriberStreams,
  requireJsep,
  type CreateRoomOptions,
  type StreamRef,
  type StreamSetting,
  type SubscriberStream,
} from './videoroom-shapes.js';

export * from './videoroom-shapes.js';

/** Room administration on one long-lived handle. */
export class VideoRoomControl {
  private constructor(readonly handle: JanusHandle) {}

  static async attach(client: JanusClient): Promise<VideoRoomControl> {
    return new VideoRoomControl(await client.attach(VIDEOROOM_PLUGIN));
  }

  /** Creates a VP8/Opus room sized for an SFU call; rejects with plugin code 427 if it exists. */
  async createRoom(options: CreateRoomOptions): Promise<void> {
    const { data } = await this.handle.message({
      request: 'create',
      room: options.room,
      description: options.description ?? `room ${options.room}`,
      ...(options.secret ? { secret: options.secret } : {}),
      ...(options.adminKey ? { admin_key: options.adminKey } : {}),
      is_private: true,
      permanent: false,
      publishers: options.publishers ?? 100,
      bitrate: options.bitrate ?? 0,
      fir_freq: options.firFreqSec ?? 10,
      videocodec: 'vp8',
      audiocodec: 'opus',
      notify_joining: false,
    });
    expect(data, 'videoroom', 'created', 'create');
  }

  /** Destroys a room (its participants' handles get a `destroyed` event); 426 if there is none. */
  async destroyRoom(room: number, secret?: string): Promise<void> {
    const { data } = await this.handle.message({
      request: 'destroy',
      room,
      permanent: false,
      ...(secret ? { secret } : {}),
    });
    expect(data, 'videoroom', 'destroyed', 'destroy');
  }

  async exists(room: number): Promise<boolean> {
    const { data } = await this.handle.message({ request: 'exists', room });
    return data.exists === true;
  }

  /** Who is in a room: feed ids and whether each is publishing now. */
  async listParticipants(
    room: number,
  ): Promise<{ feedId: number; display: string | undefined; publishing: boolean }[]> {
    const { data } = await this.handle.message({ request: 'listparticipants', room });
    const list = Array.isArray(data.participants) ? data.participants.filter(isObject) : [];
    return list.map((p) => ({
      feedId: numberOr(p.id) ?? 0,
      display: stringOr(p.display),
      publishing: p.publisher === true,
    }));
  }

  detach(): Promise<void> {
    return this.handle.detach();
  }
}

type HandleEventName = Exclude<keyof HandleEvents, 'event'>;

/** One participant's sending side: a publisher in a room. */
export class VideoRoomPublisher {
  private constructor(
    readonly handle: JanusHandle,
    readonly room: number,
    readonly feedId: number,
    /** Janus's private id for this participant (pairs its subscriber with it). */
    readonly privateId: number | undefined,
  ) {}

  /** Attaches and joins `room` as publisher `feedId` (numbers the conference layer chose). */
  static async join(
    client: JanusClient,
    options: { room: number; feedId: number; display?: string; pin?: string },
  ): Promise<VideoRoomPublisher> {
    const handle = await client.attach(VIDEOROOM_PLUGIN);
    try {
      const { data } = await handle.message({
        request: 'join',
        ptype: 'publisher',
        room: options.room,
        id: options.feedId,
        ...(options.display ? { display: options.display } : {}),
        ...(options.pin ? { pin: options.pin } : {}),
      });
      expect(data, 'videoroom', 'joined', 'join');
      return new VideoRoomPublisher(handle, options.room, options.feedId, numberOr(data.private_id));
    } catch (e) {
      await handle.detach().catch(() => undefined);
      throw e;
    }
  }

  /** Publishes the browser's offer (audio, video with simulcast encodings) and returns Janus's answer. */
  async publish(offer: Jsep, options: { bitrate?: number } = {}): Promise<Jsep> {
    const { data, jsep } = await this.handle.message(
      { request: 'publish', ...(options.bitrate !== undefined ? { bitrate: options.bitrate } : {}) },
      requireJsep(offer, 'offer', 'publish'),
    );
    expect(data, 'configured', 'ok', 'publish');
    return fromJanus(jsep, 'answer', 'publish');
  }

  /** A renegotiation (new offer, e.g. an ICE restart) of a publisher that already publishes. */
  async renegotiate(offer: Jsep): Promise<Jsep> {
    const { jsep } = await this.handle.message({ request: 'configure' }, requireJsep(offer, 'offer', 'configure'));
    return fromJanus(jsep, 'answer', 'configure');
  }

  trickle(candidates: TrickleCandidate | readonly TrickleCandidate[]): Promise<void> {
    return this.handle.trickle(candidates);
  }

  async unpublish(): Promise<void> {
    await this.handle.message({ request: 'unpublish' });
  }

  /** Leaves the room and detaches the handle; a handle already gone resolves. */
  async close(): Promise<void> {
    if (!this.handle.alive) return;
    await this.handle.message({ request: 'leave' }).catch(() => undefined);
    await this.handle.detach();
  }

  on<E extends HandleEventName>(event: E, listener: HandleEvents[E]): Unsubscribe {
    return this.handle.on(event, listener);
  }
}

interface SubscriberEvents {
  /** Janus renegotiates on its own (e.g. a publisher left): answer with start(). */
  offer: (offer: Jsep, streams: readonly SubscriberStream[]) => void;
  /** The simulcast layer Janus now forwards on `mid`. */
  layer: (info: { mid: string | undefined; substream: number | undefined; temporal: number | undefined }) => void;
}

/** One participant's receiving side: a multistream subscriber, one PeerConnection for every feed. */
export class VideoRoomSubscriber {
  private readonly emitter = createNanoEvents<SubscriberEvents>();
  private current: readonly SubscriberStream[];

  private constructor(
    readonly handle: JanusHandle,
    readonly room: number,
    streams: readonly SubscriberStream[],
  ) {
    this.current = streams;
    handle.on('event', (data, jsep) => {
      if (data.videoroom === 'updated' && jsep?.type === 'offer') {
        this.current = parseSubscriberStreams(data.streams);
        this.emitter.emit('offer', forBrowser(jsep), this.current);
      } else if (data.substream !== undefined || data.temporal !== undefined) {
        this.emitter.emit('layer', {
          mid: stringOr(data.mid),
          substream: numberOr(data.substream),
          temporal: numberOr(data.temporal),
        });
      }
    });
  }

  /**
   * Attaches and joins as a subscriber to `streams` (at least one, of feeds that publish); resolves
   * with Janus's offer and the stream list (mid -> feed) for the conference layer's mid -> uid map.
   */
  static async join(
    client: JanusClient,
    options: { room: number; streams: readonly StreamRef[]; privateId?: number },
  ): Promise<{ subscriber: VideoRoomSubscriber; offer: Jsep; streams: readonly SubscriberStream[] }> {
    const handle = await client.attach(VIDEOROOM_PLUGIN);
    try {
      const { data, jsep } = await handle.message({
        request: 'join',
        ptype: 'subscriber',
        room: options.room,
        streams: options.streams.map((s) => ({ feed: s.feed, ...(s.mid ? { mid: s.mid } : {}) })),
        ...(options.privateId !== undefined ? { private_id: options.privateId } : {}),
      });
      expect(data, 'videoroom', 'attached', 'join');
      const streams = parseSubscriberStreams(data.streams);
      return {
        subscriber: new VideoRoomSubscriber(handle, options.room, streams),
        offer: fromJanus(jsep, 'offer', 'join'),
        streams,
      };
    } catch (e) {
      await handle.detach().catch(() => undefined);
      throw e;
    }
  }

  /** The streams as of Janus's last offer. */
  get streams(): readonly SubscriberStream[] {
    return this.current;
  }

  /** Completes a negotiation with the browser's answer (the first one, or one after `offer`/update). */
  async start(answer: Jsep): Promise<void> {
    await this.handle.message({ request: 'start' }, requireJsep(answer, 'answer', 'start'));
  }

  /**
   * Adds and drops streams in one request. Resolves with Janus's new offer and stream list; `offer`
   * is undefined when Janus had nothing to renegotiate (or queued the change: it then comes as an
   * `offer` event).
   */
  async update(change: {
    subscribe?: readonly StreamRef[];
    unsubscribe?: readonly StreamRef[];
  }): Promise<{ offer: Jsep | undefined; streams: readonly SubscriberStream[] }> {
    // Janus refuses an empty list (430), so a list is sent only when it has entries.
    const refs = (name: string, list: readonly StreamRef[] | undefined) =>
      list?.length ? { [name]: list.map((s) => ({ feed: s.feed, ...(s.mid ? { mid: s.mid } : {}) })) } : {};
    if (!change.subscribe?.length && !change.unsubscribe?.length)
      throw new Error('VideoRoomSubscriber.update needs a stream to subscribe or unsubscribe');
    const { data, jsep } = await this.handle.message({
      request: 'update',
      ...refs('subscribe', change.subscribe),
      ...refs('unsubscribe', change.unsubscribe),
    });
    if (data.videoroom === 'updated' && Array.isArray(data.streams))
      this.current = parseSubscriberStreams(data.streams);
    return { offer: jsep?.type === 'offer' ? forBrowser(jsep) : undefined, streams: this.current };
  }

  /** Per-mid settings without renegotiation: simulcast layer, temporal layer, pause/resume. */
  async configure(settings: readonly StreamSetting[]): Promise<void> {
    await this.handle.message({ request: 'configure', streams: settings.map((s) => ({ ...s })) });
  }

  trickle(candidates: TrickleCandidate | readonly TrickleCandidate[]): Promise<void> {
    return this.handle.trickle(candidates);
  }

  /** Leaves and detaches; a handle already gone resolves. */
  async close(): Promise<void> {
    if (!this.handle.alive) return;
    await this.handle.message({ request: 'leave' }).catch(() => undefined);
    await this.handle.detach();
  }

  on<E extends keyof SubscriberEvents>(event: E, listener: SubscriberEvents[E]): Unsubscribe;
  on<E extends HandleEventName>(event: E, listener: HandleEvents[E]): Unsubscribe;
  on(event: string, listener: (...args: never[]) => void): Unsubscribe {
    if (event === 'offer' || event === 'layer')
      return this.emitter.on(event, listener as SubscriberEvents[typeof event]);
    return this.handle.on(event as HandleEventName, listener as HandleEvents[HandleEventName]);
  }
}
