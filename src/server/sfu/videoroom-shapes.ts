// The VideoRoom plugin's shapes as the broker reads them (rooms, streams, settings) and the checks
// its replies go through; videoroom.ts holds the operations.
import { JanusError, isObject, numberOr, stringOr, type Jsep, type PluginData } from './janus-messages.js';

export const VIDEOROOM_PLUGIN = 'janus.plugin.videoroom';

export interface CreateRoomOptions {
  /** Janus's numeric room id (the conference layer maps its room names to these). */
  readonly room: number;
  readonly description?: string;
  /** Needed later to destroy or edit the room. */
  readonly secret?: string;
  /** The plugin's admin_key, when Janus is configured with one. */
  readonly adminKey?: string;
  /** Most publishers at once (default 100: every participant of a large room publishes). */
  readonly publishers?: number;
  /** Bits/s cap Janus asks each publisher for via REMB; 0 (default) leaves simulcast layers to the browser. */
  readonly bitrate?: number;
  /** Seconds between keyframe requests to publishers (default 10). */
  readonly firFreqSec?: number;
}

/** One m-line of a subscriber's PeerConnection, as Janus laid it out. */
export interface SubscriberStream {
  readonly mid: string;
  readonly mindex: number;
  readonly kind: 'audio' | 'video' | 'data' | 'unknown';
  /** The publisher's feed id (undefined for the data channel or an inactive slot). */
  readonly feedId: number | undefined;
  /** The mid of that stream on the publisher's side. */
  readonly feedMid: string | undefined;
  /** False for a slot left inactive after an unsubscribe. */
  readonly active: boolean;
}

/** A publisher stream to subscribe to or drop; without `mid`, all of the feed's streams. */
export interface StreamRef {
  readonly feed: number;
  readonly mid?: string;
}

/** A per-mid change on a subscriber: simulcast layer, temporal layer, or pause (`send: false`). */
export interface StreamSetting {
  readonly mid: string;
  /** 0 lowest .. 2 highest simulcast layer. */
  readonly substream?: number;
  readonly temporal?: number;
  /** Microseconds without packets on the layer being forwarded before Janus drops to the one below. */
  readonly fallback?: number;
  readonly send?: boolean;
}

/** Reads a VideoRoom `streams` array into SubscriberStreams. */
export function parseSubscriberStreams(value: unknown): SubscriberStream[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((s) => {
    const type = stringOr(s.type);
    return {
      mid: stringOr(s.mid) ?? String(numberOr(s.mindex) ?? ''),
      mindex: numberOr(s.mindex) ?? -1,
      kind: type === 'audio' || type === 'video' || type === 'data' ? type : 'unknown',
      feedId: numberOr(s.feed_id),
      feedMid: stringOr(s.feed_mid),
      active: s.active !== false,
    };
  });
}

/** Asks a reply for a field, failing clearly when Janus's answer lacks it. */
export function expect(data: PluginData, field: string, value: string, request: string): void {
  if (data[field] !== value) throw JanusError.protocol(`${request} answered ${JSON.stringify(data).slice(0, 200)}`);
}

/** Janus names the room in the SDP's session line (`s=VideoRoom 1234`): browsers get `s=-`. */
export function forBrowser(jsep: Jsep): Jsep {
  return { type: jsep.type, sdp: jsep.sdp.replace(/^s=.*$/m, 's=-') };
}

/** An SDP from Janus, checked and made fit for a browser. */
export function fromJanus(jsep: Jsep | undefined, type: Jsep['type'], request: string): Jsep {
  return forBrowser(requireJsep(jsep, type, request));
}

export function requireJsep(jsep: Jsep | undefined, type: Jsep['type'], request: string): Jsep {
  if (!jsep || jsep.type !== type) throw JanusError.protocol(`${request} answered without an SDP ${type}`);
  return jsep;
}
