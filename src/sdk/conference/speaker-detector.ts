/**
 * Audio level (RMS over one poll, 0..1) from which a participant counts as loud: about -34 dBFS,
 * quieter than speech near a microphone and louder than a room's hiss after noise suppression (the
 * same level `<oovoo-video-tile>` uses for its speaking indicator).
 */
export const SPEAKING_LEVEL = 0.02;
/**
 * A new speaker must be loud over at least this span (two polls apart) before it joins the list and
 * takes the top: a cough, a door or a "mm" does not move the spotlight.
 */
export const ENTER_MS = 300;
/**
 * A speaker stays this long after its last loud reading: the pauses between words and sentences
 * do not drop it, and the list does not flicker.
 */
export const HOLD_MS = 1200;

interface Voice {
  /** When the current run of loud readings began (readings less than HOLD_MS apart). */
  runStart: number;
  /** The latest loud reading. */
  loudAt: number;
}

/**
 * Who speaks now, from audio levels polled over time: the speakers in order, the one who most
 * recently started speaking first (among those who start together, the loudest), each held for
 * HOLD_MS after its last loud reading and let in only after ENTER_MS of being loud. A muted
 * participant (a null level) leaves the list at once and never enters it.
 */
export class SpeakerDetector {
  private readonly voices = new Map<string, Voice>();
  private ranking: string[] = [];

  get speakers(): string[] {
    return [...this.ranking];
  }

  /**
   * One poll: `levels` holds each participant's level, null when muted; a participant missing from
   * it had no reading this time (its state holds). Participants in neither `levels` nor `present`
   * have left. Returns the new list when it changed.
   */
  update(now: number, levels: ReadonlyMap<string, number | null>, present: ReadonlySet<string>): string[] | undefined {
    for (const uid of this.voices.keys()) if (!present.has(uid) || levels.get(uid) === null) this.voices.delete(uid);
    const entering: Array<[string, number]> = [];
    for (const [uid, level] of levels) {
      if (level === null || level < SPEAKING_LEVEL || !present.has(uid)) continue;
      const voice = this.voices.get(uid);
      if (!voice || now - voice.loudAt >= HOLD_MS) this.voices.set(uid, { runStart: now, loudAt: now });
      else voice.loudAt = now;
      if (!this.ranking.includes(uid) && this.holdsFloor(uid, now)) entering.push([uid, level]);
    }
    entering.sort((a, b) => b[1] - a[1]);
    const next = [...entering.map(([uid]) => uid), ...this.ranking.filter((uid) => this.holdsFloor(uid, now))];
    if (next.length === this.ranking.length && next.every((uid, i) => uid === this.ranking[i])) return undefined;
    this.ranking = next;
    return this.speakers;
  }

  /** Forgets everyone (the call ended); returns an empty list when someone was speaking. */
  clear(): string[] | undefined {
    this.voices.clear();
    if (this.ranking.length === 0) return undefined;
    this.ranking = [];
    return [];
  }

  private holdsFloor(uid: string, now: number): boolean {
    const voice = this.voices.get(uid);
    return voice !== undefined && now - voice.loudAt < HOLD_MS && voice.loudAt - voice.runStart >= ENTER_MS;
  }
}
