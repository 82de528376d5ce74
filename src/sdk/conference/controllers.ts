/** `avchatObj.AudioController`: the local microphone and the playback of every remote participant. */
export interface AudioController {
  /** true mutes this participant's microphone (the others receive silence). */
  setRecorderMute(muted: boolean): void;
  isRecorderMuted(): boolean;
  /** true silences every remote participant here. */
  setPlaybackMute(muted: boolean): void;
  isPlaybackMuted(): boolean;
}

/**
 * `avchatObj.VideoController`. `isTransmitted()` returns true while this participant transmits
 * video: the spec's table says "true - stopped", but its name says the opposite and we follow the
 * name (documented in README).
 */
export interface VideoController {
  startTransmit(): void;
  stopTransmit(): void;
  isTransmitted(): boolean;
  /** Receive this participant's video again (after unRegisterRemote). */
  registerRemote(uid: string): void;
  /** Stop receiving this participant's video: it stops sending to us, no media bytes flow. */
  unRegisterRemote(uid: string): void;
}
