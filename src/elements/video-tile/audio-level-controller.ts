import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Level (RMS of the waveform, 0..1) above which a participant counts as speaking. */
const SPEAKING_LEVEL = 0.02;
/** How long "speaking" holds after the last loud moment, so the indicator does not flicker. */
const HOLD_MS = 600;
const POLL_MS = 150;

/**
 * Measures the audio level of a stream with an AnalyserNode while the host is connected, and
 * reports speaking / not speaking. Re-attaches when the stream's audio track changes.
 */
export class AudioLevelController implements ReactiveController {
  private timer: ReturnType<typeof setInterval> | undefined;
  private source: MediaStreamAudioSourceNode | undefined;
  private analyser: AnalyserNode | undefined;
  private track: MediaStreamTrack | undefined;
  private samples: Float32Array<ArrayBuffer> | undefined;
  private loudAt = 0;
  private speaking = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly input: () => {
      stream: MediaStream | undefined;
      context: (() => AudioContext | undefined) | undefined;
    },
    private readonly onChange: (speaking: boolean) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.detach();
    this.set(false);
  }

  private poll(): void {
    const { stream, context } = this.input();
    const track = stream?.getAudioTracks().find((t) => t.readyState === 'live');
    if (track !== this.track) {
      this.detach();
      if (track) this.attach(track, context?.());
    }
    const analyser = this.analyser;
    if (!analyser || !this.samples || !track?.enabled) {
      this.set(false);
      return;
    }
    analyser.getFloatTimeDomainData(this.samples);
    let sum = 0;
    for (const x of this.samples) sum += x * x;
    const now = Date.now();
    if (Math.sqrt(sum / this.samples.length) > SPEAKING_LEVEL) this.loudAt = now;
    this.set(now - this.loudAt < HOLD_MS);
  }

  private attach(track: MediaStreamTrack, context: AudioContext | undefined): void {
    this.track = track;
    if (!context) return;
    try {
      this.source = context.createMediaStreamSource(new MediaStream([track]));
      this.analyser = context.createAnalyser();
      this.analyser.fftSize = 512;
      this.samples = new Float32Array(this.analyser.fftSize);
      // Measured only: the analyser is not connected to the speakers.
      this.source.connect(this.analyser);
    } catch {
      this.detach();
      this.track = track;
    }
  }

  private detach(): void {
    this.source?.disconnect();
    this.source = undefined;
    this.analyser = undefined;
    this.samples = undefined;
    this.track = undefined;
  }

  private set(speaking: boolean): void {
    if (speaking === this.speaking) return;
    this.speaking = speaking;
    this.onChange(speaking);
  }
}
