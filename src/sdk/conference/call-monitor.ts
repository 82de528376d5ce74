import type { Emitter } from 'nanoevents';
import type { ConferenceSession } from './conference-session.js';
import type { ConferenceEvents } from './events.js';
import type { LocalMedia } from './local-media.js';
import type { MediaStats, UplinkStats } from './media-stats.js';
import type { MediaTopology } from './media-topology.js';
import { QualityMeter, type NetworkQuality } from './network-quality.js';
import type { Fire, RemoteRoster } from './remote-roster.js';
import { SpeakerDetector } from './speaker-detector.js';

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
 * `networkQualityChanged`) or read the results lately: a page that uses neither pays nothing.
 */
export class CallMonitor {
  private monitored: MonitorSource | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private polling = false;
  private resting = true;
  private readAt = Number.NEGATIVE_INFINITY;
  private lastTopology: unknown;
  private readonly speakerDetector = new SpeakerDetector();
  private readonly meters = new Map<string, QualityMeter>();

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
    this.meters.clear();
    this.resting = true;
    const cleared = this.speakerDetector.clear();
    if (cleared) this.fire('activeSpeakerChanged', { speakers: cleared });
  }

  get activeSpeakers(): string[] {
    this.readAt = Date.now();
    return this.speakerDetector.speakers;
  }

  /** A participant's quality (this one's uplink for its own uid); undefined for someone not in the conference. */
  quality(uid: string): NetworkQuality | undefined {
    this.readAt = Date.now();
    const source = this.monitored;
    if (!source || (uid !== source.selfUid && !source.remotes().includes(uid))) return undefined;
    return this.meters.get(uid)?.level ?? 'excellent';
  }

  private async poll(): Promise<void> {
    const source = this.monitored;
    if (!source || this.polling) return;
    if (!this.listened() && Date.now() - this.readAt > INTEREST_MS) {
      this.resting = true;
      return;
    }
    if (this.resting) {
      // Figures from before a pause would make long, wrong windows.
      for (const meter of this.meters.values()) meter.reset();
      this.resting = false;
    }
    this.polling = true;
    try {
      const topology = source.topology();
      const uids = source.remotes();
      const [local, ...remote] = await Promise.all([
        topology.localStats(),
        ...uids.map((uid) => topology.statsFor(uid, 'camera')),
      ]);
      if (this.monitored !== source) return;
      if (topology !== this.lastTopology) {
        // New connections count from zero.
        this.lastTopology = topology;
        for (const meter of this.meters.values()) meter.reset();
      }
      this.takeReadings(source, local, uids, remote);
    } catch {
      // A connection closed during the reading: the next poll reads the new ones.
    } finally {
      this.polling = false;
    }
  }

  private takeReadings(
    source: MonitorSource,
    local: UplinkStats | undefined,
    uids: string[],
    remote: Array<MediaStats | undefined>,
  ): void {
    const now = Date.now();
    const self = source.selfUid;
    const levels = new Map<string, number | null>();
    const present = new Set([self, ...uids]);
    for (const uid of this.meters.keys()) if (!present.has(uid)) this.meters.delete(uid);

    if (local) {
      levels.set(self, source.muted(self) ? null : (local.audioLevel ?? 0));
      this.rateLink(now, self, {
        packets: local.packetsSent,
        fractionLost: local.fractionLost,
        rtt: local.rtt,
        jitter: local.jitter,
        arrived: local.bytesReceived,
        expected: local.audioLevel !== undefined || source.videoExpected(self),
        disconnected: local.disconnected,
      });
    } else if (source.muted(self)) levels.set(self, null);
    uids.forEach((uid, i) => {
      const stats = remote[i];
      if (source.muted(uid)) levels.set(uid, null);
      else if (stats) levels.set(uid, stats.audioLevel ?? 0);
      if (!stats) return;
      this.rateLink(now, uid, {
        packets: stats.packetsReceived,
        lost: stats.packetsLost,
        rtt: stats.rtt,
        jitter: stats.jitter,
        arrived: stats.packetsReceived,
        expected: stats.audioLevel !== undefined || source.videoExpected(uid),
        disconnected: stats.disconnected,
      });
    });
    const speakers = this.speakerDetector.update(now, levels, present);
    if (speakers) this.fire('activeSpeakerChanged', { speakers });
  }

  private rateLink(now: number, uid: string, reading: Parameters<QualityMeter['update']>[1]): void {
    let meter = this.meters.get(uid);
    if (!meter) this.meters.set(uid, (meter = new QualityMeter()));
    const quality = meter.update(now, reading);
    if (quality) this.fire('networkQualityChanged', { uid, quality });
  }
}
