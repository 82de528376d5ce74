import { VIDEO_RESOLUTION_SIZE, VideoResolution } from '../enums.js';
import { OoVooError } from '../errors.js';

/** `ooVooClient.AVChat.init` parameters (the spec's "Conference Creation"). */
export interface AVChatInitParams {
  /** Send the microphone (default true). false opens none, muted, until `AudioController.setRecorderMute(false)`. */
  audio?: boolean;
  /** Send the camera (default true). false opens none, not transmitting, until `VideoController.startTransmit()`. */
  video?: boolean;
  /** `ooVooClient.VideoResolution.NORMAL | HIGH | HD` (default HIGH). */
  videoResolution?: VideoResolution;
  /** `[min, max]` frames per second, each 5..30 (default [5, 15]). */
  videoFrameRate?: number[];
  /** Our addition: 'relay' sends media only through TURN (default 'all'). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Our addition: the camera to open (a `deviceId` of `enumerateDevices`); the browser's choice by default. */
  videoDeviceId?: string;
  /** Our addition: the microphone to open; the browser's choice by default. */
  audioDeviceId?: string;
}

export interface MediaSettings {
  readonly audio: boolean;
  readonly video: boolean;
  readonly resolution: VideoResolution;
  readonly frameRate: readonly [number, number];
  readonly iceTransportPolicy: RTCIceTransportPolicy;
  readonly videoDeviceId?: string;
  readonly audioDeviceId?: string;
}

const KNOWN = new Set([
  'audio',
  'video',
  'videoResolution',
  'videoFrameRate',
  'iceTransportPolicy',
  'videoDeviceId',
  'audioDeviceId',
]);

/** Checks init parameters; returns the settings or the -40000 error that describes what is wrong. */
export function checkInitParams(params: unknown): MediaSettings | OoVooError {
  if (params === null || params === undefined) params = {};
  if (typeof params !== 'object' || Array.isArray(params))
    return OoVooError.badRequest('AVChat.init params must be an object or null.');
  const p = params as Record<string, unknown>;
  for (const key of Object.keys(p)) {
    // A parameter of another SDK version, or a typo: say so, and go on with the rest.
    if (!KNOWN.has(key)) console.warn(`AVChat.init: unknown parameter ${JSON.stringify(key)} ignored.`);
  }
  for (const key of ['audio', 'video'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'boolean')
      return OoVooError.badRequest(`${key} must be true or false.`);
  }
  for (const key of ['videoDeviceId', 'audioDeviceId'] as const) {
    if (p[key] !== undefined && typeof p[key] !== 'string') return OoVooError.badRequest(`${key} must be a string.`);
  }
  const resolution = p.videoResolution ?? VideoResolution.HIGH;
  if (typeof resolution !== 'string' || !Object.prototype.hasOwnProperty.call(VIDEO_RESOLUTION_SIZE, resolution)) {
    return OoVooError.badRequest('videoResolution must be ooVooClient.VideoResolution.NORMAL, HIGH or HD.');
  }
  const rate = p.videoFrameRate ?? [5, 15];
  if (
    !Array.isArray(rate) ||
    rate.length !== 2 ||
    !rate.every((n) => Number.isInteger(n) && (n as number) >= 5 && (n as number) <= 30)
  ) {
    return OoVooError.badRequest('videoFrameRate must be [min, max], whole numbers from 5 to 30.');
  }
  const [min, max] = rate as [number, number];
  if (min > max) return OoVooError.badRequest('videoFrameRate min must not be above max.');
  const policy = p.iceTransportPolicy ?? 'all';
  if (policy !== 'all' && policy !== 'relay')
    return OoVooError.badRequest("iceTransportPolicy must be 'all' or 'relay'.");
  return {
    audio: p.audio !== false,
    video: p.video !== false,
    resolution: resolution as VideoResolution,
    frameRate: [min, max],
    iceTransportPolicy: policy,
    videoDeviceId: (p.videoDeviceId as string) || undefined,
    audioDeviceId: (p.audioDeviceId as string) || undefined,
  };
}

/** getUserMedia constraints for the settings: the chosen devices, up to the resolution, within the frame rates. */
export function captureConstraints(settings: MediaSettings): MediaStreamConstraints {
  const size = VIDEO_RESOLUTION_SIZE[settings.resolution];
  const [min, max] = settings.frameRate;
  const device = (id: string | undefined) => (id ? { deviceId: { exact: id } } : {});
  return {
    audio: settings.audio && (settings.audioDeviceId ? device(settings.audioDeviceId) : true),
    video: settings.video
      ? {
          ...device(settings.videoDeviceId),
          width: { ideal: size.width, max: size.width },
          height: { ideal: size.height, max: size.height },
          frameRate: { ideal: max, min, max },
        }
      : false,
  };
}
