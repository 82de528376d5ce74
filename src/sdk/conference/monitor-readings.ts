import type { MonitorSource } from './call-monitor.js';
import type { MediaStats, UplinkStats } from './media-stats.js';
import { QualityMeter } from './network-quality.js';
import type { Fire } from './remote-roster.js';
import { SpeakerDetector } from './speaker-detector.js';

/**
 * The call monitor's readings (media extras, loaded when an app first wants them): one getStats pass
 * per connection turned into the speaker list and each link's quality, fired when they change.
 */
export class MonitorReadings {
  private resting = true;
  private lastTopology: unknown;
  private readonly speakerDetector = new SpeakerDetector();
  private readonly meters = new Map<string, QualityMeter>();

  constructor(private readonly fire: Fire) {}

  get speakers(): string[] {
    return this.speakerDetector.speakers;
  }

  quality(uid: string) {
    return this.meters.get(uid)?.level;
  }

  /** Nobody wants the results: the next reading starts new windows (figures from before a pause would be wrong). */
  rest(): void {
    this.resting = true;
  }

  /** The conference ended: the speaker list empties, returned when it was not empty. */
  clear(): string[] | undefined {
    this.meters.clear();
    this.resting = true;
    return this.speakerDetector.clear();
  }

  /** One reading of every connection of `source`; `current` says whether it is still the monitored one. */
  async read(source: MonitorSource, current: () => boolean): Promise<void> {
    if (this.resting) {
      for (const meter of this.meters.values()) meter.reset();
      this.resting = false;
    }
    const topology = source.topology();
    const uids = source.remotes();
    const [local, ...remote] = await Promise.all([
      topology.localStats(),
      ...uids.map((uid) => topology.statsFor(uid, 'camera')),
    ]);
    if (!current()) return;
    if (topology !== this.lastTopology) {
      // New connections count from zero.
      this.lastTopology = topology;
      for (const meter of this.meters.values()) meter.reset();
    }
    this.takeReadings(source, local, uids, remote);
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
