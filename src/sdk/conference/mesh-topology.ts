import type { ConferenceServerFrame } from '../../protocol/index.js';
import { loadCallExtras } from './load-call-extras.js';
import type { MediaStats, StatsReader, UplinkReader, UplinkStats } from './media-stats.js';
import type { MediaTopology, TopologyContext, VideoSource } from './media-topology.js';
import { PeerLink } from './peer-link.js';

/** A full mesh: one PeerLink per remote participant, negotiated through `conf.signal` relays. */
export class MeshTopology implements MediaTopology {
  /** Each link, and its stats readers once statsFor asked (they come with the media extras). */
  private readonly links = new Map<string, { link: PeerLink; stats?: StatsReader; screenStats?: StatsReader }>();
  /** Remote participants that asked not to get this participant's video. */
  private readonly unwantedBy = new Set<string>();
  private config: RTCConfiguration = {};
  private stream: MediaStream = new MediaStream();
  private transmitting = true;
  /** What each link sends, for the uplink's quality. */
  private readonly uplinks = new WeakMap<PeerLink, UplinkReader>();
  private screen: MediaStreamTrack | null = null;

  constructor(private readonly context: TopologyContext) {}

  configure(iceServers: RTCIceServer[], policy: RTCIceTransportPolicy): void {
    this.config = { iceServers, iceTransportPolicy: policy, bundlePolicy: 'max-bundle' };
  }

  setLocalStream(stream: MediaStream): void {
    this.stream = stream;
  }

  addParticipant(uid: string, initiator: boolean): void {
    this.links.get(uid)?.link.close();
    const link: PeerLink = new PeerLink({
      uid,
      polite: this.context.selfUid < uid,
      config: this.config,
      // Signals wait out a reconnect; those of a link that was replaced or closed meanwhile are dropped.
      signal: (payload) =>
        void this.context
          .request(
            { t: 'conf.signal', to: uid, ...payload },
            { durable: true, keep: () => this.links.get(uid)?.link === link },
          )
          .catch(() => undefined),
      track: (track, source) => this.context.track(uid, track, source),
      videoAllowed: () => this.transmitting && !this.unwantedBy.has(uid),
    });
    this.links.set(uid, { link });
    // A link made while this participant shares (a later joiner) carries the screen too.
    link.setScreen(this.screen);
    if (initiator) link.start(this.stream);
    else link.setStream(this.stream);
  }

  removeParticipant(uid: string): void {
    this.links.get(uid)?.link.close();
    this.links.delete(uid);
    this.unwantedBy.delete(uid);
  }

  handleFrame(frame: ConferenceServerFrame): void {
    if (frame.t === 'conf.signal') {
      void this.links
        .get(frame.from)
        ?.link.receive({ description: frame.description, candidate: frame.candidate })
        .catch(() => undefined);
    } else if (frame.t === 'conf.receive') {
      // That participant called unRegisterRemote (false) or registerRemote (true) for us.
      if (frame.video) this.unwantedBy.delete(frame.from);
      else this.unwantedBy.add(frame.from);
      this.links.get(frame.from)?.link.updateVideo();
    }
  }

  setTransmitting(enabled: boolean): void {
    this.transmitting = enabled;
    for (const { link } of this.links.values()) link.updateVideo();
  }

  replaceTrack(track: MediaStreamTrack): void {
    for (const { link } of this.links.values()) link.replaceTrack(track);
  }

  setScreenTrack(track: MediaStreamTrack | null): void {
    this.screen = track;
    for (const { link } of this.links.values()) link.setScreen(track);
  }

  // A mesh sends one encoding to each remote: there is no layer to pick.
  setVideoHeight(): void {}

  async statsFor(uid: string, source: VideoSource): Promise<MediaStats | undefined> {
    if (!this.links.has(uid)) return undefined;
    const { StatsReader } = await loadCallExtras();
    const entry = this.links.get(uid);
    if (!entry) return undefined;
    const { link } = entry;
    const screen = source === 'screen';
    const reader = screen ? (entry.screenStats ??= new StatsReader()) : (entry.stats ??= new StatsReader());
    return reader.read(link.pc, (mid) => link.isScreenMid(mid) === screen);
  }

  async localStats(): Promise<UplinkStats | undefined> {
    if (this.links.size === 0) return undefined;
    const { combineUplinks, UplinkReader } = await loadCallExtras();
    const links = [...this.links.values()].map(({ link }) => link);
    return combineUplinks(
      await Promise.all(
        links.map((link) => {
          let reader = this.uplinks.get(link);
          if (!reader) this.uplinks.set(link, (reader = new UplinkReader()));
          return reader.read(link.pc);
        }),
      ),
    );
  }

  recover(): void {
    for (const { link } of this.links.values()) if (link.needsRecovery) link.restartIce();
  }

  peerConnection(uid: string): RTCPeerConnection | undefined {
    return this.links.get(uid)?.link.pc;
  }

  close(): void {
    for (const uid of [...this.links.keys()]) this.removeParticipant(uid);
    this.unwantedBy.clear();
  }
}
