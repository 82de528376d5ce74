import { VIDEO_RESOLUTION_SIZE, ConferenceStateEventType, VideoStateType } from '../enums.js';
import { OoVooError } from '../errors.js';
import { loadWebrtcAdapter } from './adapter/load-adapter.js';
import { captureConstraints, type MediaSettings } from './init-params.js';

type StateReporter = (type: ConferenceStateEventType) => void;

/**
 * This participant's camera and microphone: capture (opened at AVChat.init, in parallel with the
 * rest), recorder mute, whether video is transmitted, and device switches. It keeps the state the
 * others are told of; the conference session tells them. A camera or microphone that is off at init
 * (`video: false`, `audio: false`) is not opened at all until it is turned on (the camera light stays off).
 */
export class LocalMedia {
  /** The local camera and microphone (an empty stream when access was denied or not asked for). */
  readonly stream: Promise<MediaStream>;
  /** Read-only outside: changed through setRecorderMute and setTransmitting. */
  recorderMuted: boolean;
  transmitting: boolean;
  /** What was asked of the browser so far (`audio`, `video`: opened or tried) and the devices chosen. */
  private settings: MediaSettings | undefined;

  constructor(
    settings: MediaSettings | undefined,
    private readonly report: StateReporter,
    /** A device turned on after init opened: its track is in the stream now, to be sent. */
    private readonly opened: (track: MediaStreamTrack) => void,
  ) {
    this.settings = settings;
    // Off at init: muted and not transmitting, so turning it on is the spec's unmute or startTransmit.
    this.recorderMuted = settings?.audio === false;
    this.transmitting = settings?.video !== false;
    // webrtc-adapter (only where a browser needs it) shims capture and peer connections: load it first.
    // A join waits for this stream, so no RTCPeerConnection is made before it either.
    this.stream = loadWebrtcAdapter().then(() =>
      settings
        ? acquireLocalMedia(settings, report).then((stream) => {
            this.enableAudio(stream);
            return stream;
          })
        : new MediaStream(),
    );
  }

  /** PLAY while video is transmitted, else PAUSED: what the others are told. */
  get videoState(): 'PLAY' | 'PAUSED' {
    return this.transmitting ? VideoStateType.PLAY : VideoStateType.PAUSED;
  }

  /** Mutes (the others receive silence) or unmutes the microphone; true when that changed anything. */
  setRecorderMute(muted: boolean): boolean {
    const changed = this.recorderMuted !== muted;
    this.recorderMuted = muted;
    if (!muted) this.open('audio');
    void this.stream.then((stream) => this.enableAudio(stream));
    return changed;
  }

  /** Records whether video is transmitted; true when that changed anything. */
  setTransmitting(on: boolean): boolean {
    const changed = this.transmitting !== on;
    this.transmitting = on;
    if (on) this.open('video');
    return changed;
  }

  /**
   * Opens the camera or microphone that was off until now (once): its track joins the stream and
   * goes to `opened`. One that could not be opened (reported) is asked for again the next time.
   */
  private open(kind: 'audio' | 'video'): void {
    if (!this.settings || this.settings[kind]) return;
    this.settings = { ...this.settings, [kind]: true };
    void this.stream.then(async (stream) => {
      const only = { ...this.settings!, audio: kind === 'audio', video: kind === 'video' };
      const [track] = (await acquireLocalMedia(only, this.report)).getTracks();
      if (!track) {
        this.settings = { ...this.settings!, [kind]: false };
        return;
      }
      stream.addTrack(track);
      this.enableAudio(stream);
      this.opened(track);
    });
  }

  /**
   * Opens another camera (`'video'`) or microphone (`'audio'`), puts its track into the stream in
   * place of the old one (which ends) and returns it, for the topology to send without renegotiation.
   * One that is still off only remembers the device, opened when it is turned on.
   */
  async switchDevice(kind: 'audio' | 'video', deviceId: string): Promise<MediaStreamTrack | undefined> {
    if (!this.settings) throw OoVooError.badRequest('AVChat.init failed.');
    const stream = await this.stream;
    this.settings = { ...this.settings, [`${kind}DeviceId`]: deviceId };
    if (!this.settings[kind]) return undefined;
    const base = captureConstraints(this.settings)[kind];
    const constraint = { ...(typeof base === 'object' ? base : {}), deviceId: { exact: deviceId } };
    let fresh: MediaStreamTrack | undefined;
    try {
      fresh = (await navigator.mediaDevices.getUserMedia({ [kind]: constraint })).getTracks()[0];
    } catch (e) {
      throw OoVooError.badRequest(
        `The ${kind === 'audio' ? 'microphone' : 'camera'} could not be opened: ${(e as Error).message}`,
      );
    }
    if (!fresh) return undefined;
    for (const old of stream.getTracks()) {
      if (old.kind !== kind) continue;
      stream.removeTrack(old);
      old.stop();
    }
    stream.addTrack(fresh);
    this.enableAudio(stream);
    return fresh;
  }

  private enableAudio(stream: MediaStream): void {
    for (const track of stream.getAudioTracks()) track.enabled = !this.recorderMuted;
  }
}

/**
 * Opens the camera and microphone as the settings ask, reporting what really happened:
 * ACCESS_ACCEPTED, ACCESS_DENIED, DEVICE_NOT_FOUND, CAM_RES_NOT_SUPPORTED. Never rejects: without
 * access the participant still joins, receiving only.
 */
export async function acquireLocalMedia(settings: MediaSettings, report: StateReporter): Promise<MediaStream> {
  if (!settings.audio && !settings.video) return new MediaStream();
  if (!navigator.mediaDevices?.getUserMedia) {
    report(ConferenceStateEventType.DEVICE_NOT_FOUND);
    return new MediaStream();
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(captureConstraints(settings));
  } catch (e) {
    const name = e instanceof Error ? e.name : '';
    if (name === 'OverconstrainedError' && settings.video) {
      // The camera can't do this resolution or rate: say so, and take what it can do.
      report(ConferenceStateEventType.CAM_RES_NOT_SUPPORTED);
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: settings.audio, video: true });
      } catch (again) {
        report(failureType(again));
        return new MediaStream();
      }
    } else {
      report(failureType(e));
      return new MediaStream();
    }
  }
  report(ConferenceStateEventType.ACCESS_ACCEPTED);
  const video = stream.getVideoTracks()[0];
  const wanted = VIDEO_RESOLUTION_SIZE[settings.resolution];
  const got = video?.getSettings();
  if (got?.width && got.height && (got.width < wanted.width || got.height < wanted.height)) {
    report(ConferenceStateEventType.CAM_RES_NOT_SUPPORTED);
  }
  return stream;
}

function failureType(e: unknown): ConferenceStateEventType {
  const name = e instanceof Error ? e.name : '';
  if (
    name === 'NotFoundError' ||
    name === 'DevicesNotFoundError' ||
    name === 'NotReadableError' ||
    name === 'OverconstrainedError'
  ) {
    return ConferenceStateEventType.DEVICE_NOT_FOUND;
  }
  return ConferenceStateEventType.ACCESS_DENIED;
}
