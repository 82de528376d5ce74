// Which subscriber stream is whose: the video mids of a member's publisher offer (its camera first,
// then the screen it shares), and the stream list a page gets with each subscriber offer.
import type { SfuStreamInfo } from '../../protocol/index.js';
import type { SubscriberStream } from '../sfu/videoroom.js';

/** The member that publishes a feed: its uid and its publisher's video mids. */
export type FeedOwner = (feed: number) => { readonly uid: string; readonly videoMids: readonly string[] } | undefined;

/** The mids of an SDP's video m-lines, in order. */
export function videoMids(sdp: string): string[] {
  const mids: string[] = [];
  for (const section of sdp.split(/\r?\nm=/).slice(1)) {
    const mid = section.startsWith('video') ? /^a=mid:(\S+)/m.exec(section)?.[1] : undefined;
    if (mid) mids.push(mid);
  }
  return mids;
}

/** A video stream's source: a publisher's first video is its camera, any later one the screen it shares. */
export function sourceOf(stream: SubscriberStream, ownerOf: FeedOwner): 'camera' | 'screen' {
  const mids = stream.feedId === undefined ? undefined : ownerOf(stream.feedId)?.videoMids;
  return mids && mids.length > 0 && stream.feedMid !== mids[0] ? 'screen' : 'camera';
}

/** The active audio and video streams of a subscriber connection, by uid (and camera or screen). */
export function streamInfo(streams: readonly SubscriberStream[], ownerOf: FeedOwner): SfuStreamInfo[] {
  const info: SfuStreamInfo[] = [];
  for (const s of streams) {
    const uid = s.feedId === undefined ? undefined : ownerOf(s.feedId)?.uid;
    if (!s.active || !uid) continue;
    if (s.kind === 'audio') info.push({ mid: s.mid, uid, kind: 'audio' });
    else if (s.kind === 'video') info.push({ mid: s.mid, uid, kind: 'video', source: sourceOf(s, ownerOf) });
  }
  return info;
}
