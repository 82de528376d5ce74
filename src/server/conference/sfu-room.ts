import type { SfuStreamInfo } from '../../protocol/index.js';
import type { JanusClient } from '../sfu/janus-client.js';
import type { Jsep, TrickleCandidate } from '../sfu/janus-messages.js';
import { layerForHeight, layerForRoomSize } from './simulcast-layers.js';
import {
  VideoRoomPublisher,
  VideoRoomSubscriber,
  type StreamSetting,
  type SubscriberStream,
} from '../sfu/videoroom.js';
import { newMember, type Member } from './sfu-member.js';
import { sourceOf, streamInfo, videoMids, type FeedOwner } from './sfu-streams.js';

/** How the SFU room reaches the conference layer's members (by uid). */
export interface SfuRoomHost {
  /** Sends a subscriber offer to the member; false when it has no connection now. */
  offer(uid: string, sdp: string, streams: SfuStreamInfo[]): boolean;
  /** Something went wrong on the Janus side for this room (logged; the room may be rebuilt). */
  failed(error: unknown, what: string): void;
}

/**
 * How long a subscriber offer waits for the page's answer before the next change goes ahead. A page
 * on a busy machine can take over 10 s to answer, and an answer that comes after this is refused,
 * leaving the offer's new streams silent until the next change. A page that left or is away does not wait.
 */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * How long Janus forwards nothing from a layer before it falls back to the one below (µs). Its
 * default, 250 ms, is shorter than the gap between frames of a 5 fps camera (the SDK's lowest
 * rate) plus jitter: such a sender would flap between layers, each switch waiting for a keyframe.
 */
const LAYER_FALLBACK_US = 1_000_000;

/**
 * One conference's media on Janus: a VideoRoom, a publisher and a multistream subscriber handle
 * per member. The page sends its publisher offer; the server subscribes every member to every
 * other member's feed and sends the subscriber offers. Janus ids stay here: pages see uids and mids.
 */
export class SfuRoom {
  private readonly members = new Map<string, Member>();
  private readonly uidOfFeed = new Map<number, string>();
  private readonly ownerOf: FeedOwner = (feed) => this.members.get(this.uidOfFeed.get(feed) ?? '');
  private nextFeed = 1;
  private closed = false;

  constructor(
    private readonly janus: JanusClient,
    readonly janusRoom: number,
    readonly epoch: number,
    private readonly host: SfuRoomHost,
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** The page's publisher offer (the first, or a renegotiation); resolves with Janus's answer. */
  async publish(uid: string, sdp: string): Promise<string> {
    const member = this.member(uid);
    // One negotiation at a time per publisher: a second offer while one is in flight is refused.
    if (member.negotiating) throw new Error('a publish is already in progress');
    member.negotiating = true;
    try {
      return await this.negotiatePublisher(member, sdp);
    } finally {
      member.negotiating = false;
    }
  }

  private async negotiatePublisher(member: Member, sdp: string): Promise<string> {
    const { uid } = member;
    let publisher = member.publisher;
    const mids = videoMids(sdp);
    const added = mids.filter((mid) => !member.videoMids.includes(mid));
    member.videoMids = mids;
    if (publisher?.handle.alive) {
      const answer = (await publisher.renegotiate({ type: 'offer', sdp })).sdp;
      // A stream added by renegotiating (the page's screen): those who get this feed get it too.
      if (member.publishing && added.length > 0)
        for (const other of this.members.values()) if (other !== member) this.addStreams(other, member.feedId, added);
      return answer;
    }
    publisher = await VideoRoomPublisher.join(this.janus, {
      room: this.janusRoom,
      feedId: member.feedId,
      display: uid,
    });
    if (this.closed || this.members.get(uid) !== member) {
      await publisher.close().catch(() => undefined);
      throw new Error('left the room while publishing');
    }
    member.publisher = publisher;
    // Janus takes subscriptions to a feed once its media is up (before that: 428 no such feed).
    const off = publisher.on('webrtcup', () => {
      off();
      if (this.members.get(uid) !== member) return;
      member.publishing = true;
      for (const other of this.members.values()) if (other !== member) this.subscribe(other, [member.feedId]);
    });
    const answer = await publisher.publish({ type: 'offer', sdp });
    this.flushEarly(member, 'publisher');
    return answer.sdp;
  }

  /** The page's answer to the subscriber offer in flight. */
  answer(uid: string, sdp: string): void {
    const member = this.members.get(uid);
    const resolve = member?.answer;
    if (!member || !resolve) throw new Error('no subscriber offer is waiting for an answer');
    member.answer = undefined;
    resolve(sdp);
  }

  candidate(uid: string, target: 'publisher' | 'subscriber', candidate: TrickleCandidate): void {
    const member = this.members.get(uid);
    if (!member) return;
    const handle = target === 'publisher' ? member.publisher : member.subscriber;
    if (!handle) {
      // Bounded: a page gathers a handful of candidates per connection.
      if (member.early[target].length < 64) member.early[target].push(candidate);
      return;
    }
    handle.trickle(candidate).catch((e: unknown) => this.host.failed(e, 'trickle'));
  }

  /** Adds a member; it publishes with its own offer, and gets the feeds that already publish. */
  add(uid: string): void {
    if (this.members.has(uid)) this.remove(uid);
    const member = newMember(uid, this.nextFeed++);
    const step = layerForRoomSize(this.members.size);
    this.members.set(uid, member);
    this.uidOfFeed.set(member.feedId, uid);
    if (layerForRoomSize(this.members.size) !== step) this.refreshLayers();
    const feeds = [...this.members.values()].filter((m) => m !== member && m.publishing).map((m) => m.feedId);
    if (feeds.length > 0) this.subscribe(member, feeds);
  }

  /** Removes a member: its handles go, and the others stop receiving its feed. */
  remove(uid: string): void {
    const member = this.members.get(uid);
    if (!member) return;
    const step = layerForRoomSize(this.members.size);
    this.members.delete(uid);
    this.uidOfFeed.delete(member.feedId);
    if (layerForRoomSize(this.members.size) !== step) this.refreshLayers();
    member.answer?.('');
    void member.publisher?.close().catch(() => undefined);
    void member.subscriber?.close().catch(() => undefined);
    for (const other of this.members.values()) {
      other.wants.delete(uid);
      other.stepDown.delete(uid);
      other.applied.delete(uid);
      if (other.subscriber && member.publishing) this.change(other, { unsubscribe: [{ feed: member.feedId }] });
    }
  }

  /** `conf.receive` in an SFU room: whether `uid`'s page gets `of`'s video, without renegotiating. */
  setReceive(uid: string, of: string, video: boolean): void {
    const member = this.members.get(uid);
    if (!member) return;
    member.wants.set(of, { ...member.wants.get(of), video });
    this.applyLayers(member, of);
  }

  /** The page shows `of`'s video at most `maxHeight` pixels tall (0: not at all). */
  setQuality(uid: string, of: string, maxHeight: number): void {
    const member = this.members.get(uid);
    if (!member) return;
    const want = member.wants.get(of) ?? { video: true };
    member.wants.set(of, { ...want, layer: maxHeight === 0 ? undefined : layerForHeight(maxHeight) });
    member.stepDown.delete(of);
    this.applyLayers(member, of);
  }

  /** A fresh subscriber offer with new ICE credentials (the page's network changed). */
  restart(uid: string): void {
    const member = this.members.get(uid);
    if (!member?.subscriber || member.restarting) return;
    member.restarting = true;
    this.enqueue(member, async (subscriber) => {
      member.restarting = false;
      // Janus answers the restart with a fresh offer (or, on some versions, an `updated` event: handled there).
      const { jsep } = await subscriber.handle.message({ request: 'configure', restart: true });
      if (jsep?.type === 'offer') await this.negotiate(member, subscriber, jsep, subscriber.streams);
    });
  }

  /** Every member's layers again (the room grew or shrank past a size step). */
  refreshLayers(): void {
    for (const member of this.members.values()) for (const of of this.uidOfFeed.values()) this.applyLayers(member, of);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const uid of [...this.members.keys()]) this.remove(uid);
  }

  private member(uid: string): Member {
    const member = this.members.get(uid);
    if (!member) throw new Error(`${uid} is not in the SFU room`);
    return member;
  }

  private flushEarly(member: Member, target: 'publisher' | 'subscriber'): void {
    const handle = target === 'publisher' ? member.publisher : member.subscriber;
    const early = member.early[target].splice(0);
    if (handle && early.length > 0) handle.trickle(early).catch((e: unknown) => this.host.failed(e, 'trickle'));
  }

  /** Subscribes a member to feeds: joins its subscriber handle the first time, updates it after. */
  private subscribe(member: Member, feeds: number[]): void {
    if (member.subscriber || member.joining) {
      this.subscribeLater(member, feeds);
      return;
    }
    member.joining = true;
    member.queue = member.queue
      .then(async () => {
        if (this.members.get(member.uid) !== member) return;
        const joined = await VideoRoomSubscriber.join(this.janus, {
          room: this.janusRoom,
          streams: feeds.map((feed) => ({ feed })),
          ...(member.publisher?.privateId !== undefined ? { privateId: member.publisher.privateId } : {}),
        });
        if (this.members.get(member.uid) !== member) {
          await joined.subscriber.close();
          return;
        }
        member.subscriber = joined.subscriber;
        joined.subscriber.on('slowlink', ({ uplink, mid }) => {
          if (!uplink) this.slowLink(member, mid);
        });
        joined.subscriber.on('offer', (offer, streams) => {
          // Janus renegotiated on its own (a feed went away): answered like ours, in the same queue.
          this.enqueue(member, async () => this.negotiate(member, joined.subscriber, offer, streams));
        });
        await this.negotiate(member, joined.subscriber, joined.offer, joined.streams);
        this.flushEarly(member, 'subscriber');
        for (const of of this.uidOfFeed.values()) this.applyLayers(member, of);
      })
      .catch((e: unknown) => this.host.failed(e, 'subscribe'))
      .finally(() => {
        member.joining = false;
      });
  }

  /**
   * Queues feeds for one subscriber update. When several members start publishing close together
   * (a room that just moved), the page answers one offer for all of them instead of one each.
   */
  private subscribeLater(member: Member, feeds: number[]): void {
    if (member.waitingFeeds) {
      member.waitingFeeds.push(...feeds);
      return;
    }
    member.waitingFeeds = [...feeds];
    member.queue = member.queue
      .then(async () => {
        const waiting = member.waitingFeeds ?? [];
        member.waitingFeeds = undefined;
        const subscriber = member.subscriber;
        if (!subscriber || this.members.get(member.uid) !== member) return;
        const carried = new Set(subscriber.streams.filter((s) => s.active).map((s) => s.feedId));
        const fresh = [...new Set(waiting)].filter((feed) => this.uidOfFeed.has(feed) && !carried.has(feed));
        if (fresh.length > 0) await this.runChange(member, subscriber, { subscribe: fresh.map((feed) => ({ feed })) });
      })
      .catch((e: unknown) => this.host.failed(e, 'subscriber change'));
  }

  /** Subscribes a member that already gets `feed` to more of its streams (one that gets none yet gets them all later). */
  private addStreams(member: Member, feed: number, mids: string[]): void {
    this.enqueue(member, async (subscriber) => {
      const carried = subscriber.streams.filter((s) => s.active && s.feedId === feed);
      const fresh = mids.filter((mid) => !carried.some((s) => s.feedMid === mid));
      if (carried.length > 0 && fresh.length > 0)
        await this.runChange(member, subscriber, { subscribe: fresh.map((mid) => ({ feed, mid })) });
    });
  }

  private change(member: Member, change: Parameters<VideoRoomSubscriber['update']>[0]): void {
    this.enqueue(member, (subscriber) => this.runChange(member, subscriber, change));
  }

  private async runChange(
    member: Member,
    subscriber: VideoRoomSubscriber,
    change: Parameters<VideoRoomSubscriber['update']>[0],
  ): Promise<void> {
    const { offer, streams } = await subscriber.update(change);
    if (offer) await this.negotiate(member, subscriber, offer, streams);
    for (const ref of change.subscribe ?? []) {
      const of = this.uidOfFeed.get(ref.feed);
      if (of) this.applyLayers(member, of);
    }
  }

  private enqueue(member: Member, run: (subscriber: VideoRoomSubscriber) => Promise<void>): void {
    member.queue = member.queue
      .then(() => {
        const subscriber = member.subscriber;
        if (subscriber && this.members.get(member.uid) === member) return run(subscriber);
      })
      .catch((e: unknown) => this.host.failed(e, 'subscriber change'));
  }

  /** Sends Janus's offer to the page and starts the subscriber with its answer. */
  private async negotiate(
    member: Member,
    subscriber: VideoRoomSubscriber,
    offer: Jsep,
    streams: readonly SubscriberStream[],
  ): Promise<void> {
    const info = streamInfo(streams, this.ownerOf);
    let timer: NodeJS.Timeout | undefined;
    const answered = new Promise<string>((resolve) => {
      member.answer = resolve;
      timer = setTimeout(() => resolve(''), ANSWER_TIMEOUT_MS);
    });
    // A page that is away gets no offer: the next change goes ahead now (a restart brings it one).
    if (!this.host.offer(member.uid, offer.sdp, info)) member.answer?.('');
    const sdp = await answered;
    clearTimeout(timer);
    member.answer = undefined;
    // No answer (the page is away or gone): the next offer or a restart tries again.
    if (sdp) await subscriber.start({ type: 'answer', sdp });
  }

  /** Sets the layer and pause of the camera `member` receives from `of` (a screen has one layer, always sent). */
  private applyLayers(member: Member, of: string): void {
    const subscriber = member.subscriber;
    const feed = this.members.get(of)?.feedId;
    if (!subscriber || feed === undefined) return;
    const want = member.wants.get(of) ?? { video: true };
    const layer = Math.max(0, (want.layer ?? layerForRoomSize(this.members.size)) - (member.stepDown.get(of) ?? 0));
    const settings: StreamSetting[] = subscriber.streams
      .filter((s) => s.active && s.kind === 'video' && s.feedId === feed && sourceOf(s, this.ownerOf) === 'camera')
      .map((s) => ({ mid: s.mid, substream: layer, fallback: LAYER_FALLBACK_US, send: want.video }));
    const key = JSON.stringify(settings);
    if (settings.length === 0 || member.applied.get(of) === key) return;
    member.applied.set(of, key);
    subscriber.configure(settings).catch((e: unknown) => {
      member.applied.delete(of);
      this.host.failed(e, 'configure layers');
    });
  }

  /** Janus lost packets on the way to this page: one layer down for that stream's publisher. */
  private slowLink(member: Member, mid: string | undefined): void {
    const stream = member.subscriber?.streams.find((s) => s.mid === mid);
    const of = stream?.feedId === undefined ? undefined : this.uidOfFeed.get(stream.feedId);
    if (!of) return;
    member.stepDown.set(of, Math.min(2, (member.stepDown.get(of) ?? 0) + 1));
    this.applyLayers(member, of);
  }
}
