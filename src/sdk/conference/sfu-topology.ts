import type { ConferenceServerFrame, SfuOfferFrame, SfuPublishResult } from '../../protocol/index.js';
import { StatsReader, UplinkReader, type MediaStats, type UplinkStats } from './media-stats.js';
import type { MediaTopology, TopologyContext, VideoSource } from './media-topology.js';

/**
 * Simulcast layers, full size first (the order Janus reads `a=simulcast` in): substream 2, 1, 0.
 * Chromium drops layers a small source cannot fill; nothing here depends on three arriving.
 */
const SIMULCAST: RTCRtpEncodingParameters[] = [
  { rid: 'h', maxBitrate: 900_000 },
  { rid: 'm', maxBitrate: 300_000, scaleResolutionDownBy: 2 },
  { rid: 'l', maxBitrate: 100_000, scaleResolutionDownBy: 4 },
];

type Target = 'publisher' | 'subscriber';

/**
 * Media through the SFU: one send-only publisher connection (audio, video in three simulcast
 * layers, and from the first share on a third transceiver for the screen, one layer) and one receive-only subscriber connection whose streams the server adds and removes
 * with each `conf.sfu.offer`. Each stream's `mid` names the participant (and camera or screen) it belongs to, so tracks
 * reach the roster by uid; a remote track is handed over once media flows on it (it unmutes), so a
 * tile that still plays the mesh's track keeps playing until the SFU's has frames.
 */
export class SfuTopology implements MediaTopology {
  private config: RTCConfiguration = {};
  private stream: MediaStream = new MediaStream();
  private publisher: RTCPeerConnection | undefined;
  private subscriber: RTCPeerConnection | undefined;
  /** mid → owner of the subscriber connection's streams, as the last offer named them. */
  private owners = new Map<string, { uid: string; source: VideoSource }>();
  private readonly stats = new Map<string, StatsReader>();
  private readonly uplink = new UplinkReader();
  private transmitting = true;
  private screen: MediaStreamTrack | null = null;
  /** The publisher's last offer was answered. */
  private published = false;
  /** Publisher offers go one at a time (the server refuses a second while one is in flight). */
  private publishing: Promise<void> = Promise.resolve();
  /** Offers are answered one at a time, in order. */
  private answering: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly context: TopologyContext,
    private readonly epoch: number,
  ) {}

  configure(iceServers: RTCIceServer[], policy: RTCIceTransportPolicy): void {
    this.config = { iceServers, iceTransportPolicy: policy, bundlePolicy: 'max-bundle' };
    if (!this.publisher) void this.publish();
  }

  setLocalStream(stream: MediaStream): void {
    this.stream = stream;
  }

  // The server subscribes this page to every publisher of the room and unsubscribes those who leave.
  addParticipant(): void {}
  removeParticipant(uid: string): void {
    this.stats.delete(`camera:${uid}`);
    this.stats.delete(`screen:${uid}`);
  }

  handleFrame(frame: ConferenceServerFrame): void {
    if (frame.t === 'conf.sfu.offer' && frame.epoch === this.epoch) {
      this.answering = this.answering.then(() => this.answer(frame)).catch(() => undefined);
    }
  }

  setTransmitting(enabled: boolean): void {
    this.transmitting = enabled;
    this.updateVideo();
  }

  replaceTrack(track: MediaStreamTrack): void {
    if (track.kind === 'video') this.updateVideo();
    else
      void this.sender('audio')
        ?.replaceTrack(track)
        .catch(() => undefined);
  }

  setScreenTrack(track: MediaStreamTrack | null): void {
    this.screen = track;
    const transceiver = this.screenTransceiver();
    // The first share adds the screen's transceiver: a renegotiation, after which the server subscribes the others to it.
    if (transceiver) void transceiver.sender.replaceTrack(track).catch(() => undefined);
    else if (track && this.publisher) void this.publish();
  }

  setVideoHeight(uid: string, maxHeight: number): void {
    this.context.send({ t: 'conf.sfu.quality', uid, maxHeight: Math.max(0, Math.min(8192, Math.round(maxHeight))) });
  }

  async statsFor(uid: string, source: VideoSource): Promise<MediaStats | undefined> {
    const pc = this.subscriber;
    if (!pc || !this.receivesFrom(uid)) return undefined;
    const key = `${source}:${uid}`;
    let reader = this.stats.get(key);
    if (!reader) this.stats.set(key, (reader = new StatsReader()));
    return reader.read(pc, (mid) => {
      const owner = mid === undefined ? undefined : this.owners.get(mid);
      return owner?.uid === uid && owner.source === source;
    });
  }

  async localStats(): Promise<UplinkStats | undefined> {
    return this.publisher && this.uplink.read(this.publisher);
  }

  recover(): void {
    if (!this.published || iceLost(this.publisher)) void this.publish(true);
    if (iceLost(this.subscriber)) void this.request({ t: 'conf.sfu.restart' });
  }

  peerConnection(uid: string): RTCPeerConnection | undefined {
    return this.receivesFrom(uid) ? this.subscriber : undefined;
  }

  /** Whether the subscriber connection carries a stream of `uid`. */
  private receivesFrom(uid: string): boolean {
    return [...this.owners.values()].some((owner) => owner.uid === uid);
  }

  close(): void {
    this.closed = true;
    for (const pc of [this.publisher, this.subscriber]) {
      if (!pc) continue;
      pc.onicecandidate = pc.ontrack = null;
      pc.close();
    }
    this.owners.clear();
  }

  /** Sends this page's media: the first offer, one with the screen's transceiver added, or one with new ICE credentials. */
  private publish(restart = false): Promise<void> {
    let pc = this.publisher;
    if (!pc) {
      pc = this.publisher = this.connection('publisher');
      const [audio] = this.stream.getAudioTracks();
      const [video] = this.stream.getVideoTracks();
      pc.addTransceiver(audio ?? 'audio', { direction: 'sendonly', streams: [this.stream] });
      pc.addTransceiver(video ?? 'video', { direction: 'sendonly', streams: [this.stream], sendEncodings: SIMULCAST });
      this.updateVideo();
    }
    return (this.publishing = this.publishing.then(() => this.offer(pc, restart)));
  }

  private async offer(pc: RTCPeerConnection, restart: boolean): Promise<void> {
    if (this.closed) return;
    // The third transceiver (mid after the camera's): the server tells the others it is a screen.
    if (this.screen && !this.screenTransceiver()) pc.addTransceiver(this.screen, { direction: 'sendonly' });
    try {
      await pc.setLocalDescription(await pc.createOffer({ iceRestart: restart }));
      const result = (await this.request({ t: 'conf.sfu.publish', sdp: pc.localDescription!.sdp })) as SfuPublishResult;
      if (!this.closed) await pc.setRemoteDescription({ type: 'answer', sdp: result.sdp });
      this.published = true;
    } catch {
      this.published = false;
      // A publish that failed is retried by the next recover() (a reconnect), or the room's next epoch.
    }
  }

  private async answer(frame: SfuOfferFrame): Promise<void> {
    if (this.closed) return;
    this.owners = new Map(frame.streams.map((s) => [s.mid, { uid: s.uid, source: s.source ?? 'camera' }]));
    let pc = this.subscriber;
    if (!pc) {
      pc = this.subscriber = this.connection('subscriber');
      pc.ontrack = ({ track, transceiver }) => {
        const hand = () => {
          const owner = transceiver.mid === null ? undefined : this.owners.get(transceiver.mid);
          if (owner && !this.closed) this.context.track(owner.uid, track, owner.source);
        };
        if (track.muted) track.addEventListener('unmute', hand, { once: true });
        else hand();
      };
    }
    await pc.setRemoteDescription({ type: 'offer', sdp: frame.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await this.request({ t: 'conf.sfu.answer', sdp: pc.localDescription!.sdp });
  }

  private connection(target: Target): RTCPeerConnection {
    const pc = new RTCPeerConnection(this.config);
    pc.onicecandidate = ({ candidate }) => {
      // Best effort: Janus also finds the page by its checks once it has the page's first candidates.
      this.context.send({
        t: 'conf.sfu.candidate',
        epoch: this.epoch,
        target,
        ...(candidate?.candidate ? { candidate: candidate.toJSON() } : {}),
      });
    };
    return pc;
  }

  private sender(kind: 'audio' | 'video'): RTCRtpSender | undefined {
    return this.publisher?.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender;
  }

  /** The publisher's screen transceiver: any video one after the camera's. */
  private screenTransceiver(): RTCRtpTransceiver | undefined {
    return this.publisher?.getTransceivers().filter((t) => t.receiver.track.kind === 'video')[1];
  }

  /** Video goes out while transmitting; a null track sends no bytes and needs no renegotiation. */
  private updateVideo(): void {
    const sender = this.sender('video');
    const next = this.transmitting ? (this.stream.getVideoTracks()[0] ?? null) : null;
    if (sender && sender.track !== next) void sender.replaceTrack(next).catch(() => undefined);
  }

  /**
   * Not durable: an offer or answer lost with the connection is not sent again as it was; the
   * rejoin's recover() makes fresh ones (a publish again, a restart of the subscriber).
   */
  private request(frame: { t: string; sdp?: string }): Promise<unknown> {
    return this.context.request({ ...frame, epoch: this.epoch });
  }
}

function iceLost(pc: RTCPeerConnection | undefined): boolean {
  return pc !== undefined && (pc.iceConnectionState === 'disconnected' || pc.iceConnectionState === 'failed');
}
