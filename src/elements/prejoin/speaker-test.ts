type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** The browser can send audio to a chosen speaker (HTMLMediaElement.setSinkId). */
export const canChooseSpeaker = () =>
  typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * Plays a short generated tone (two notes, fading) on the speaker `sinkId` ('' the default), through
 * an audio element's setSinkId where the browser has it; resolves when it has played.
 */
export async function playTestSound(sinkId: string): Promise<void> {
  const context = new AudioContext();
  const audio: SinkAudio = new Audio();
  try {
    const out = context.createMediaStreamDestination();
    audio.srcObject = out.stream;
    if (sinkId && audio.setSinkId) await audio.setSinkId(sinkId);
    await audio.play();
    const gain = context.createGain();
    gain.connect(out);
    const start = context.currentTime;
    gain.gain.setValueAtTime(0.25, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.9);
    const tone = context.createOscillator();
    tone.frequency.setValueAtTime(660, start);
    tone.frequency.setValueAtTime(880, start + 0.3);
    tone.connect(gain);
    await new Promise((ended) => {
      tone.onended = ended;
      tone.start(start);
      tone.stop(start + 0.9);
    });
  } finally {
    audio.srcObject = null;
    await context.close().catch(() => undefined);
  }
}
