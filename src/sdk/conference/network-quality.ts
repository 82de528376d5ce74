/** How well media reaches this page from a participant, or from this page to the others (its uplink). */
export type NetworkQuality = 'excellent' | 'good' | 'poor' | 'lost';

/**
 * Below these a call is as good as a local one: under 2% loss Opus's FEC and NACK retransmits hide
 * every gap, and 150 ms round trip keeps mouth-to-ear delay far inside ITU-T G.114's 150 ms one way;
 * 30 ms of jitter fits the jitter buffer without growing it.
 */
export const EXCELLENT = { loss: 0.02, rtt: 150, jitter: 30 } as const;
/**
 * Below these speech stays clear and video smooth: up to 5% loss Opus with in-band FEC stays
 * intelligible and video recovers by retransmission; 300 ms round trip is about G.114's one-way limit
 * for interactive talk; 60 ms of jitter is absorbed with a deeper (later) buffer. Beyond: poor.
 */
export const GOOD = { loss: 0.05, rtt: 300, jitter: 60 } as const;
/**
 * Nothing has arrived for this long while the other end sends: lost. Audio packets come every 20 ms
 * (a muted microphone still sends silence) and RTCP at least every second with video, so 3 s of
 * nothing is no pause but an outage; ICE itself takes longer to call a path disconnected.
 */
export const LOST_MS = 3000;
/** Loss is counted over this much time: a few hundred packets, so one lost packet is not a 2% swing. */
export const WINDOW_MS = 3000;
/** A worse level shows after it held this long (two or three polls): one bad reading is not news. */
export const WORSEN_MS = 1000;
/** A better level shows after it held this long: slower up than down, so a flapping link reads as its worse state. */
export const IMPROVE_MS = 3000;
/** Fewer packets than this in the window say nothing about loss. */
const MIN_PACKETS = 20;

const RANK: Record<NetworkQuality, number> = { excellent: 3, good: 2, poor: 1, lost: 0 };

/** One reading of one path (a remote participant's media, or this page's uplink). */
export interface PathReading {
  /** Packets received (a remote) or sent (the uplink), in total. */
  readonly packets: number;
  /** Packets lost on the way here, in total (a remote); with `packets`, loss over the window. */
  readonly lost?: number;
  /** The loss the far end reports (the uplink), 0..1, in place of counting. */
  readonly fractionLost?: number;
  readonly rtt: number | undefined;
  readonly jitter: number | undefined;
  /** A total that grows whenever anything arrives on the path. */
  readonly arrived: number;
  /** The far end should be sending now (a microphone, or video that plays): silence then means trouble. */
  readonly expected: boolean;
  /** ICE says the path is gone. */
  readonly disconnected: boolean;
}

/** The level the figures say, before hysteresis. */
export function classify(loss: number, rtt = 0, jitter = 0): NetworkQuality {
  if (loss < EXCELLENT.loss && rtt < EXCELLENT.rtt && jitter < EXCELLENT.jitter) return 'excellent';
  if (loss < GOOD.loss && rtt < GOOD.rtt && jitter < GOOD.jitter) return 'good';
  return 'poor';
}

/**
 * The network quality of one path over time: loss counted over WINDOW_MS (deltas, not totals), the
 * latest RTT and jitter, 'lost' after LOST_MS without anything arriving, and hysteresis: worse
 * levels show after WORSEN_MS, better ones after IMPROVE_MS; 'lost' shows at once and ends as soon
 * as media flows again (both already took seconds to tell).
 */
export class QualityMeter {
  level: NetworkQuality = 'excellent';
  private recentReadings: Array<{ at: number; packets: number; lost: number }> = [];
  private arrivedTotal = 0;
  private arrivedAtTime: number | undefined;
  private leaning: { worse: boolean; since: number } | undefined;

  /** Starts counting afresh (new connections): the level stays. */
  reset(): void {
    this.recentReadings = [];
    this.arrivedAtTime = undefined;
    this.leaning = undefined;
  }

  /** Takes one reading; returns the level when it changed. */
  update(now: number, r: PathReading): NetworkQuality | undefined {
    const last = this.recentReadings.at(-1);
    // Counters that went back: another connection now carries the path.
    if (last && (r.packets < last.packets || (r.lost ?? 0) < last.lost || r.arrived < this.arrivedTotal)) this.reset();
    if (this.arrivedAtTime === undefined || r.arrived > this.arrivedTotal) this.arrivedAtTime = now;
    const flowed = r.arrived > 0;
    this.arrivedTotal = r.arrived;
    this.recentReadings.push({ at: now, packets: r.packets, lost: r.lost ?? 0 });
    // Keep the newest reading at or before the window's start as the base of the deltas.
    while (this.recentReadings.length > 2 && this.recentReadings[1]!.at <= now - WINDOW_MS) this.recentReadings.shift();

    const stalled = flowed && r.expected && now - this.arrivedAtTime >= LOST_MS;
    const raw = r.disconnected || stalled ? 'lost' : classify(r.fractionLost ?? this.windowLoss(), r.rtt, r.jitter);
    return this.settleLevel(now, raw);
  }

  /** Loss over the window: lost / (received + lost). */
  private windowLoss(): number {
    const first = this.recentReadings[0]!;
    const last = this.recentReadings.at(-1)!;
    const lost = last.lost - first.lost;
    const total = lost + last.packets - first.packets;
    return total < MIN_PACKETS ? 0 : lost / total;
  }

  private settleLevel(now: number, raw: NetworkQuality): NetworkQuality | undefined {
    if (raw === this.level) {
      this.leaning = undefined;
      return undefined;
    }
    if (raw !== 'lost' && this.level !== 'lost') {
      const worse = RANK[raw] < RANK[this.level];
      if (this.leaning?.worse !== worse) this.leaning = { worse, since: now };
      if (now - this.leaning.since < (worse ? WORSEN_MS : IMPROVE_MS)) return undefined;
    }
    this.leaning = undefined;
    return (this.level = raw);
  }
}
