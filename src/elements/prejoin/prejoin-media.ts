import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PrejoinStrings } from './prejoin-strings.js';

export type MediaKind = 'video' | 'audio';

/**
 * The pre-join's camera and microphone: each is open only while its switch is on (off, it is not
 * opened at all), on the chosen device; what went wrong is kept to be explained. The devices are
 * listed again once access is given (their names come with it) and on `devicechange`.
 */
export class PrejoinMedia implements ReactiveController {
  /** The open camera (for the preview) and microphone (for the meter). */
  readonly streams: Record<MediaKind, MediaStream | undefined> = { video: undefined, audio: undefined };
  /** Why each could not be opened: the error's name ('' when it was not refused). */
  readonly errors: Record<MediaKind, string> = { video: '', audio: '' };
  devices: MediaDeviceInfo[] = [];
  /** Each open counts up: an answer to an earlier one (switched off or to another device since) is closed at once. */
  private readonly turns: Record<MediaKind, number> = { video: 0, audio: 0 };
  private readonly onDeviceChange = () => void this.listDevices();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener('devicechange', this.onDeviceChange);
    void this.listDevices();
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener('devicechange', this.onDeviceChange);
    this.closeAll();
  }

  /** Opens `kind` on `deviceId` ('' the browser's choice) when `on`, else closes it; the host updates after. */
  async set(kind: MediaKind, on: boolean, deviceId: string): Promise<void> {
    const turn = ++this.turns[kind];
    this.close(kind);
    this.errors[kind] = '';
    this.host.requestUpdate();
    if (!on) return;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('No media devices', 'NotSupportedError');
      const stream = await navigator.mediaDevices.getUserMedia({
        [kind]: deviceId ? { deviceId: { exact: deviceId } } : true,
      });
      if (turn !== this.turns[kind]) return stop(stream);
      this.streams[kind] = stream;
      void this.listDevices();
    } catch (e) {
      if (turn !== this.turns[kind]) return;
      this.errors[kind] = (e as Error)?.name || 'Error';
    }
    this.host.requestUpdate();
  }

  /** The device `kind` uses now: the chosen one, else the one the browser opened ('' when closed). */
  current(kind: MediaKind, chosen: string): string {
    return chosen || (this.streams[kind]?.getTracks()[0]?.getSettings().deviceId ?? '');
  }

  /** Closes the camera and microphone (the camera light goes off); an open still on its way is closed when it comes. */
  closeAll(): void {
    for (const kind of ['video', 'audio'] as const) {
      this.turns[kind]++;
      this.close(kind);
    }
  }

  private close(kind: MediaKind): void {
    const stream = this.streams[kind];
    this.streams[kind] = undefined;
    if (stream) stop(stream);
  }

  private async listDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    this.devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.deviceId);
    this.host.requestUpdate();
  }
}

function stop(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/** The text that says why a camera or microphone could not be opened, and what to do about it. */
export function deviceErrorKey(name: string): keyof PrejoinStrings {
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'deviceDenied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return 'deviceNotFound';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'deviceInUse';
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'deviceUnavailable';
    case 'NotSupportedError':
      return 'deviceInsecure';
    default:
      return 'deviceFailed';
  }
}
