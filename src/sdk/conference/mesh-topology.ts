import type { MediaTopology, SignalPayload, TopologyHandlers } from './media-topology.js';
import { PeerLink } from './peer-link.js';

/** A full mesh: one PeerLink per remote participant. */
export class MeshTopology implements MediaTopology {
  private readonly links = new Map<string, PeerLink>();
  /** Remote participants that asked not to get this participant's video. */
  private readonly unwantedBy = new Set<string>();
  private config: RTCConfiguration = {};
  private stream: MediaStream = new MediaStream();
  private transmitting = true;

  constructor(
    private readonly selfUid: string,
    private readonly handlers: TopologyHandlers,
  ) {}

  configure(iceServers: RTCIceServer[], policy: RTCIceTransportPolicy): void {
    this.config = { iceServers, iceTransportPolicy: policy, bundlePolicy: 'max-bundle' };
  }

  setLocalStream(stream: MediaStream): void {
    this.stream = stream;
  }

  connect(uid: string, initiator: boolean): void {
    this.disconnect(uid);
    const link = new PeerLink({
      uid,
      polite: this.selfUid < uid,
      config: this.config,
      signal: (payload) => this.handlers.signal(uid, payload),
      track: (track) => this.handlers.track(uid, track),
      videoAllowed: () => this.transmitting && !this.unwantedBy.has(uid),
    });
    this.links.set(uid, link);
    if (initiator) link.start(this.stream);
    else link.setStream(this.stream);
  }

  disconnect(uid: string): void {
    this.links.get(uid)?.close();
    this.links.delete(uid);
  }

  has(uid: string): boolean {
    return this.links.has(uid);
  }

  async receive(from: string, payload: SignalPayload): Promise<void> {
    if (!this.links.has(from)) this.connect(from, false);
    await this.links.get(from)!.receive(payload);
  }

  setTransmitting(enabled: boolean): void {
    this.transmitting = enabled;
    for (const link of this.links.values()) link.updateVideo();
  }

  setWantedBy(uid: string, wanted: boolean): void {
    if (wanted) this.unwantedBy.delete(uid);
    else this.unwantedBy.add(uid);
    this.links.get(uid)?.updateVideo();
  }

  replaceTrack(track: MediaStreamTrack): void {
    for (const link of this.links.values()) link.replaceTrack(track);
  }

  recover(): void {
    for (const link of this.links.values()) if (link.needsRecovery) link.restartIce();
  }

  /** The RTCPeerConnection to one participant (for stats). */
  peerConnection(uid: string): RTCPeerConnection | undefined {
    return this.links.get(uid)?.pc;
  }

  close(): void {
    for (const uid of [...this.links.keys()]) this.disconnect(uid);
    this.unwantedBy.clear();
  }
}
