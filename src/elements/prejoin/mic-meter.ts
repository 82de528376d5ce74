/**
 * The microphone's level on a `<meter>` (0..1 over -60..0 dBFS), measured by a WebAudio AnalyserNode
 * on each animation frame while the microphone is open; the meter is set directly, not rendered.
 */
export class MicMeter {
  private context: AudioContext | undefined;
  private measured: MediaStream | undefined;
  private frame = 0;

  /** Measures `stream` (undefined: none, the meter rests at 0) onto the meter `meter()` finds. */
  follow(stream: MediaStream | undefined, meter: () => HTMLMeterElement | null | undefined): void {
    if (stream === this.measured) return;
    this.stop();
    this.measured = stream;
    const el = meter();
    if (el) el.value = 0;
    if (!stream || typeof AudioContext === 'undefined') return;
    const context = (this.context = new AudioContext());
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const measure = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const decibels = 10 * Math.log10(sum / samples.length || 1e-12);
      const target = meter();
      if (target) target.value = Math.min(1, Math.max(0, (decibels + 60) / 60));
      this.frame = requestAnimationFrame(measure);
    };
    measure();
  }

  /** A context made before the person touched the page may start suspended: resume it on their first touch. */
  resume(): void {
    if (this.context?.state === 'suspended') void this.context.resume().catch(() => undefined);
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    void this.context?.close().catch(() => undefined);
    this.context = undefined;
    this.measured = undefined;
  }
}
