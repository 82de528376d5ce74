import type { Emitter } from 'nanoevents';
import type { ConferenceSession } from './conference-session.js';
import type { ConferenceEvents } from './events.js';
import type { LocalMedia } from './local-media.js';
import { loadCallExtras } from './load-call-extras.js';
import type { MediaTopology } from './media-topology.js';
import type { MonitorReadings } from './monitor-readings.js';
import type { NetworkQuality } from './network-quality.js';
import type { Fire, RemoteRoster } from './remote-roster.js';

/** How often stats are read while someone wants the results: the speaker list moves within about a second. */
export const POLL_MS = 400;
/** Reading `activeSpeakers` or `networkQuality()` keeps the polls going this long without a listener. */
export const INTEREST_MS = 10_000;

/** What the monitor reads of one joined conference. */
export interface MonitorSource {
  readonly selfUid: string;
  /** The media topology now (a room that moves to the SFU gets a new one). */
  topology(): Pick<MediaTopology, 'statsFor' | 'localStats'>;
  /** The remote participants now. */
  remotes(): string[];
  /** Whether a participant's microphone is muted (this one's or a remote's). */
  muted(uid: string): boolean;
  /** Whether a participant's video should be flowing now (this one transmits; a remote's plays here). */
  videoExpected(uid: string): boolean;
}

/** The monitor's source for one joined conference. */
export function sessionSource(session: ConferenceSession, roster: RemoteRoster, media: LocalMedia): MonitorSource {
  const self = session.id.uid;
  return {
    selfUid: self,
    topology: () => session.topology,
    remotes: () => roster.uids,
    muted: (uid) => (uid === self ? media.recorderMuted : roster.info(uid)?.muted !== false),
    videoExpected: (uid) => (uid === self ? media.transmitting : roster.info(uid)?.video === 'PLAY'),
  };
}

/** Where apps listen to the monitor's events: the conference object's `on*` properties and emitter. */
export interface MonitorListeners {
  readonly onActiveSpeakerChanged: unknown;
  readonly onNetworkQualityChanged: unknown;
  readonly events: Emitter<ConferenceEvents>;
}

/**
 * The active speaker and network quality of one joined conference, from one getStats pass per
 * connection every POLL_MS, made only while an app listens (`activeSpeakerChanged`,
 * `networkQualityChanged`) or read the results lately: a page that uses neither pays nothing, and
 * never loads the readings' code (MonitorReadings, in the media extras).
 */
export class CallMonitor {
  private monitored: MonitorSource | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private readAt = Number.NEGATIVE_INFINITY;
  private readings: MonitorReadings | undefined;

  constructor(
    private readonly fire: Fire,
    private readonly listeners: MonitorListeners,
  ) {}

  /** Whether an app listens to either event now. */
  private listened(): boolean {
    const { onActiveSpeakerChanged, onNetworkQualityChanged, events } = this.listeners;
    return Boolean(
      onActiveSpeakerChanged ||
      onNetworkQualityChanged ||
      events.events.activeSpeakerChanged?.length ||
      events.events.networkQualityChanged?.length,
    );
  }

  /** Starts on a join. */
  start(source: MonitorSource): void {
    this.stop();
    this.monitored = source;
    this.pollTimer = setInterval(() => void this.poll(), POLL_MS);
  }

  /** Stops on teardown: the speaker list empties (told when it was not empty). */
  stop(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = this.monitored = undefined;
    const cleared = this.readings?.clear();
    if (cleared) this.fire('activeSpeakerChanged', { speakers: cleared });
  }

  get activeSpeakers(): string[] {
    this.readAt = Date.now();
    return this.readings?.speakers ?? [];
  }

  /** A participant's quality (this one's uplink for its own uid); undefined for someone not in the conference. */
  quality(uid: string): NetworkQuality | undefined {
    this.readAt = Date.now();
    const source = this.monitored;
    if (!source || (uid !== source.selfUid && !source.remotes().includes(uid))) return undefined;
    return this.readings?.quality(uid) ?? 'excellent';
  }

  private async poll(): Promise<void> {
    const source = this.monitored;
    if (!source || this.polling) return;
    if (!this.listened() && Date.now() - this.readAt > INTEREST_MS) {
      this.readings?.rest();
      return;
    }
    this.polling = true;
    try {
      this.readings ??= new (await loadCallExtras()).MonitorReadings(this.fire);
      if (this.monitored === source) await this.readings.read(source, () => this.monitored === source);
    } catch {
      // The extras did not load (tried again next time), or a connection closed during the reading.
    } finally {
      this.polling = false;
    }
  }
}
