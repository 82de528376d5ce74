import type { SignalPayload, VideoSource } from './media-topology.js';

export interface PeerLinkOptions {
  readonly uid: string;
  /** The polite side yields when both offer at once (perfect negotiation). */
  readonly polite: boolean;
  readonly config: RTCConfiguration;
  readonly signal: (payload: SignalPayload) => void;
  readonly track: (track: MediaStreamTrack, source: VideoSource) => void;
  /** Whether video may be sent on this link now. */
  readonly videoAllowed: () => boolean;
}

/**
 * One RTCPeerConnection to one remote participant, negotiated with the "perfect negotiation"
 * pattern (unified plan): either side may renegotiate at any time, glare resolved by politeness.
 *
 * A shared screen is a second video: both sides hold the first offer's transceivers, so the first
 * video transceiver is the camera and any later one a screen. The first share adds that transceiver
 * (a renegotiation); later shares, by either side, reuse it.
 */
export class PeerLink {
  readonly pc: RTCPeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  private settingRemoteAnswer = false;
  private localStream: MediaStream | undefined;
  private attached = false;
  private screen: MediaStreamTrack | null = null;
  private closed = false;

  constructor(private readonly options: PeerLinkOptions) {
    this.pc = new RTCPeerConnection(options.config);
    this.pc.onnegotiationneeded = () => void this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate && candidate.candidate) options.signal({ candidate: candidate.toJSON() });
    };
    this.pc.ontrack = ({ track, transceiver }) =>
      options.track(track, this.videos().indexOf(transceiver) > 0 ? 'screen' : 'camera');
    this.pc.onconnectionstatechange = () => {
      if (this.pc.connectionState === 'failed') this.pc.restartIce();
    };
  }

  /** The initiator sends its tracks (and asks for the kinds it does not send) at once; this triggers the first offer. */
  start(stream: MediaStream): void {
    this.localStream = stream;
    this.attach();
    for (const kind of ['audio', 'video'] as const) {
      if (!this.pc.getTransceivers().some((t) => t.receiver.track.kind === kind))
        this.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    // After the camera's transceiver, so that it stays the first video.
    this.sendScreen();
  }

  /** The answerer keeps its tracks until the first offer, so both sides share the offer's transceivers. */
  setStream(stream: MediaStream): void {
    this.localStream = stream;
  }

  private attach(): void {
    if (this.attached || !this.localStream) return;
    this.attached = true;
    for (const track of this.localStream.getTracks()) this.pc.addTrack(track, this.localStream);
    this.updateVideo();
  }

  /** The screen this participant shares on this link (null: none); sent once the link has its first transceivers. */
  setScreen(track: MediaStreamTrack | null): void {
    this.screen = track;
    if (this.attached && !this.closed) this.sendScreen();
  }

  /** Whether a stream (by mid) of this link is a remote screen, for stats. */
  isScreenMid(mid: string | undefined): boolean {
    return this.videos().some((t, i) => i > 0 && t.mid === mid);
  }

  /** The video transceivers: the camera's first, then the screen's. */
  private videos(): RTCRtpTransceiver[] {
    return this.pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video');
  }

  /** Puts the screen on the first video transceiver after the camera's (reused, null when stopped), or adds one. */
  private sendScreen(): void {
    const transceiver = this.videos().find((t, i) => i > 0 && t.currentDirection !== 'stopped');
    if (transceiver) send(transceiver, this.screen);
    else if (this.screen) this.pc.addTransceiver(this.screen, { direction: 'sendrecv' });
  }

  /**
   * Sends or withholds the camera on this link: a null track sends no media bytes. A camera turned
   * on after the link was made (it was off) makes its transceiver send: one renegotiation.
   */
  updateVideo(): void {
    if (!this.attached || this.closed) return;
    const track = this.options.videoAllowed() ? (this.localStream?.getVideoTracks()[0] ?? null) : null;
    const camera = this.videos()[0];
    if (camera) send(camera, track);
  }

  /** A new local track of the stream (switched, or turned on): video goes through updateVideo's rules. */
  replaceTrack(track: MediaStreamTrack): void {
    if (track.kind === 'video') return this.updateVideo();
    const audio = this.pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (audio && this.attached && !this.closed) send(audio, track);
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d && !this.closed) this.options.signal({ description: { type: d.type as 'offer', sdp: d.sdp } });
    } catch {
      // A negotiation that lost a race is retried by the next negotiationneeded.
    } finally {
      this.makingOffer = false;
    }
  }

  async receive(payload: SignalPayload): Promise<void> {
    if (this.closed) return;
    const { description, candidate } = payload;
    if (description) {
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingRemoteAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.options.polite && collision;
      if (this.ignoreOffer) return;
      this.settingRemoteAnswer = description.type === 'answer';
      try {
        await this.pc.setRemoteDescription(description);
      } finally {
        this.settingRemoteAnswer = false;
      }
      if (description.type === 'offer') {
        this.attach();
        this.sendScreen();
        await this.pc.setLocalDescription();
        const d = this.pc.localDescription;
        if (d && !this.closed) this.options.signal({ description: { type: d.type as 'answer', sdp: d.sdp } });
      }
    } else if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (e) {
        if (!this.ignoreOffer) throw e;
      }
    }
  }

  /** True when media has no path now (after a network change or a long outage). */
  get needsRecovery(): boolean {
    const s = this.pc.iceConnectionState;
    return s === 'disconnected' || s === 'failed';
  }

  restartIce(): void {
    if (!this.closed) this.pc.restartIce();
  }

  close(): void {
    this.closed = true;
    this.pc.onnegotiationneeded = null;
    this.pc.onicecandidate = null;
    this.pc.ontrack = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
  }
}

/**
 * Sends `track` on a transceiver (null: nothing). One that only receives (the other side added it, or
 * this side had nothing to send then) starts sending: that renegotiates once.
 */
function send(transceiver: RTCRtpTransceiver, track: MediaStreamTrack | null): void {
  if (track && transceiver.direction === 'recvonly') transceiver.direction = 'sendrecv';
  if (transceiver.sender.track !== track) void transceiver.sender.replaceTrack(track).catch(() => undefined);
}
