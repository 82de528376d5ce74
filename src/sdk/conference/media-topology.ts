/**
 * How media travels between participants. The mesh (one RTCPeerConnection per remote) is the only
 * one today; an SFU topology can replace it behind this interface without touching the conference.
 */
export interface SignalPayload {
  readonly description?: { readonly type: 'offer' | 'answer'; readonly sdp: string };
  readonly candidate?: RTCIceCandidateInit;
}

export interface TopologyHandlers {
  /** Sends a payload to one remote participant through the server. */
  signal(to: string, payload: SignalPayload): void;
  /** A remote track arrived (or replaced the previous one of its kind). */
  track(uid: string, track: MediaStreamTrack): void;
}

export interface MediaTopology {
  /** ICE servers and policy for links made from now on. */
  configure(iceServers: RTCIceServer[], policy: RTCIceTransportPolicy): void;
  /** The local stream whose tracks every link sends. */
  setLocalStream(stream: MediaStream): void;
  /** Starts media with a remote participant; the initiator makes the first offer. Replaces an existing link. */
  connect(uid: string, initiator: boolean): void;
  disconnect(uid: string): void;
  has(uid: string): boolean;
  /** A payload the server relayed from a remote participant. */
  receive(from: string, payload: SignalPayload): Promise<void>;
  /** Whether this participant transmits video at all (VideoController.start/stopTransmit). */
  setTransmitting(enabled: boolean): void;
  /** Whether one remote participant wants this participant's video (its registerRemote/unRegisterRemote). */
  setWantedBy(uid: string, wanted: boolean): void;
  /** Sends this new local track (a switched camera or microphone) in place of the old one of its kind. */
  replaceTrack(track: MediaStreamTrack): void;
  /** Restarts ICE on links that lost connectivity. */
  recover(): void;
  close(): void;
}
