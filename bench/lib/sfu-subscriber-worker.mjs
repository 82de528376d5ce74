// bench:sfu (c): a worker thread holding some of the werift subscribers, so that the clients can use
// more than one core (werift is plain JavaScript: SRTP and DTLS on the event loop). Each worker has its
// own Janus session; the main thread asks it to add subscribers, mark a window and report packets.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';
import { RTCPeerConnection } from 'werift';

// The `--import tsx` hooks of the main thread do not reach a worker on Node 20: load the TypeScript here.
const { JanusClient } = await tsImport('../../src/server/sfu/janus-client.ts', import.meta.url);
const { VideoRoomSubscriber } = await tsImport('../../src/server/sfu/videoroom.ts', import.meta.url);

/** A receive-only werift peer subscribed to the publisher; counts the RTP it receives per SSRC. */
async function subscribe(client, room, feed) {
  const { subscriber, offer } = await VideoRoomSubscriber.join(client, { room, streams: [{ feed }] });
  // werift gathers on both veth addresses of scripts/netns-veth.sh (Janus only on `va`, 198.18.0.1);
  // bound to `vb` (198.18.0.2) alone, its checks never succeeded there.
  const pc = new RTCPeerConnection({});
  // Per SSRC: the highest extended sequence number seen and the distinct packets received, for loss.
  const streams = new Map();
  pc.onTrack.subscribe((track) => {
    track.onReceiveRtp.subscribe((rtp) => {
      const { ssrc, sequenceNumber } = rtp.header;
      let s = streams.get(ssrc);
      if (!s)
        streams.set(ssrc, (s = { kind: track.kind, first: sequenceNumber, last: sequenceNumber, seen: new Set() }));
      // Unwrap the 16-bit sequence number against the last one.
      let ext = s.last + ((sequenceNumber - (s.last & 0xffff) + 0x10000 + 0x8000) % 0x10000) - 0x8000;
      if (s.seen.size === 0) ext = sequenceNumber;
      s.last = Math.max(s.last, ext);
      s.seen.add(ext);
    });
  });
  pc.onIceCandidate.subscribe((c) => {
    if (c?.candidate)
      void subscriber.trickle({ candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex });
  });
  await pc.setRemoteDescription(offer);
  await pc.setLocalDescription(await pc.createAnswer());
  await subscriber.start({ type: 'answer', sdp: pc.localDescription.sdp });
  return {
    /** Packets seen and expected since `mark()` (per SSRC, from the highest sequence number at the mark). */
    window() {
      let expected = 0;
      let received = 0;
      for (const s of streams.values()) {
        const from = s.mark ?? s.first - 1;
        expected += s.last - from;
        for (const q of s.seen) if (q > from) received += 1;
      }
      return { expected, received };
    },
    mark() {
      // Sequence numbers still in flight at the mark may arrive later: count from the highest seen.
      for (const s of streams.values()) {
        s.mark = s.last;
        s.seen = new Set([...s.seen].filter((q) => q > s.last - 512));
      }
    },
    receivingVideo: () => [...streams.values()].some((s) => s.kind === 'video' && s.seen.size > 10),
    close: async () => {
      await pc.close().catch(() => undefined);
      await subscriber.close().catch(() => undefined);
    },
  };
}

const client = new JanusClient({ url: workerData.janusUrl });
await client.start();
const subscribers = [];

/** Replies to each request in order with `{ id, value }` (or `{ id, error }`). */
const handlers = {
  async add(count) {
    for (let i = 0; i < count; i++) subscribers.push(await subscribe(client, workerData.room, workerData.feed));
    return subscribers.length;
  },
  receiving: () => subscribers.every((s) => s.receivingVideo()),
  mark: () => subscribers.forEach((s) => s.mark()),
  window: () =>
    subscribers
      .map((s) => s.window())
      .reduce((a, w) => ({ expected: a.expected + w.expected, received: a.received + w.received }), {
        expected: 0,
        received: 0,
      }),
  async close() {
    for (const s of subscribers) await s.close();
    await client.close();
  },
};
parentPort.on('message', async ({ id, type, arg }) => {
  try {
    parentPort.postMessage({ id, value: await handlers[type](arg) });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.stack ?? e) });
  }
});
parentPort.postMessage({ ready: true });
