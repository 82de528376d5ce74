/** What arrives from one remote participant, for network-quality indicators and the active speaker. */
export interface MediaStats {
  /** Bits per second received (audio and video) since the previous reading; 0 on the first. */
  readonly bitrate: number;
  /** Packets lost on the way here, in total. */
  readonly packetsLost: number;
  /** Packets received (audio and video), in total. */
  readonly packetsReceived: number;
  /** Round-trip time of the candidate pair in use, in milliseconds; undefined until measured. */
  readonly rtt: number | undefined;
  /** Interarrival jitter of the audio (of the video without audio), in milliseconds; undefined until measured. */
  readonly jitter: number | undefined;
  /** Video frames decoded, in total. */
  readonly framesDecoded: number;
  /**
   * The received audio's level (RMS, 0..1) since the previous reading, as it plays out (Chromium
   * measures received audio only while an element plays it); undefined when no audio arrives.
   */
  readonly audioLevel: number | undefined;
  /** ICE lost the path (disconnected or failed). */
  readonly disconnected: boolean;
}

/** What this participant sends and what the receivers report of it: the uplink. */
export interface UplinkStats {
  /** RTP packets sent (audio and video), in total. */
  readonly packetsSent: number;
  /** The share of our packets lost on the way (0..1), from the receivers' latest reports (worst stream). */
  readonly fractionLost: number | undefined;
  /** Round-trip time in milliseconds (the candidate pair's, else the receivers' reports'). */
  readonly rtt: number | undefined;
  /** The receivers' interarrival jitter of our audio (else video), in milliseconds. */
  readonly jitter: number | undefined;
  /** Bytes that came back over the connection (reports, ICE checks, media), in total: the far end still answers. */
  readonly bytesReceived: number;
  /** The microphone's level (RMS, 0..1) since the previous reading; undefined when no microphone is sent. */
  readonly audioLevel: number | undefined;
  /** ICE lost the path (disconnected or failed). */
  readonly disconnected: boolean;
}

/** The fields of getStats entries that the readers use. */
interface StatsEntry {
  readonly type: string;
  readonly kind?: string;
  readonly mid?: string;
  readonly bytesReceived?: number;
  readonly packetsLost?: number;
  readonly packetsReceived?: number;
  readonly packetsSent?: number;
  readonly framesDecoded?: number;
  readonly jitter?: number;
  readonly fractionLost?: number;
  readonly roundTripTime?: number;
  readonly audioLevel?: number;
  readonly totalAudioEnergy?: number;
  readonly totalSamplesDuration?: number;
  readonly trackIdentifier?: string;
  readonly id?: string;
  readonly nominated?: boolean;
  readonly currentRoundTripTime?: number;
  readonly selectedCandidatePairId?: string;
}

/** Readings closer together than this share one getStats: the SFU's participants, a mesh link's two readers. */
const SHARE_MS = 100;
const reports = new WeakMap<RTCPeerConnection, { at: number; report: Promise<RTCStatsReport> }>();

function statsOf(pc: RTCPeerConnection): Promise<RTCStatsReport> {
  const now = Date.now();
  const shared = reports.get(pc);
  if (shared && now - shared.at < SHARE_MS) return shared.report;
  const report = pc.getStats();
  reports.set(pc, { at: now, report });
  return report;
}

function disconnected(pc: RTCPeerConnection): boolean {
  return pc.iceConnectionState === 'disconnected' || pc.iceConnectionState === 'failed';
}

/**
 * An audio stream's level over the time between two readings, from its energy counters: steadier
 * than the instantaneous `audioLevel`, which is the peak of the last 100 ms only.
 */
class LevelMeter {
  private lastReading: { energy: number; duration: number } | undefined;

  read(s: StatsEntry): number {
    const { totalAudioEnergy: energy, totalSamplesDuration: duration } = s;
    if (energy === undefined || duration === undefined) return s.audioLevel ?? 0;
    const last = this.lastReading;
    this.lastReading = { energy, duration };
    // The first reading, or nothing played since the last one: the instantaneous level (0 when not played).
    if (!last || duration <= last.duration) return s.audioLevel ?? 0;
    return Math.sqrt(Math.max(0, energy - last.energy) / (duration - last.duration));
  }
}

/** A sent microphone measured here goes unmeasured again once no reading came for this long. */
const TRACK_LEVEL_IDLE_MS = 3000;
const trackLevels = new Map<MediaStreamTrack, TrackLevel>();

/**
 * A sent microphone's level (RMS, 0..1) over its last third of a second, from a WebAudio analyser:
 * for Firefox, whose media-source stats carry neither `audioLevel` nor the energy counters. One per
 * track (a mesh's links send the same one), closed once readings stop (the call ended, nobody asks).
 */
class TrackLevel {
  private readonly context = new AudioContext();
  private readonly analyser = this.context.createAnalyser();
  private idle: ReturnType<typeof setTimeout> | undefined;

  static read(track: MediaStreamTrack): number {
    let level = trackLevels.get(track);
    if (!level) trackLevels.set(track, (level = new TrackLevel(track)));
    return level.read();
  }

  private constructor(private readonly track: MediaStreamTrack) {
    this.analyser.fftSize = 16384;
    this.context.createMediaStreamSource(new MediaStream([track])).connect(this.analyser);
  }

  private read(): number {
    clearTimeout(this.idle);
    if (this.track.readyState === 'ended') return this.close();
    this.idle = setTimeout(() => this.close(), TRACK_LEVEL_IDLE_MS);
    // Made before the person touched the page, it may start suspended (a capturing page may play).
    if (this.context.state === 'suspended') void this.context.resume().catch(() => undefined);
    const samples = new Float32Array(this.analyser.fftSize);
    this.analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    return Math.sqrt(sum / samples.length);
  }

  private close(): number {
    trackLevels.delete(this.track);
    void this.context.close().catch(() => undefined);
    return 0;
  }
}

/** The level of the microphone `source` (a media-source entry) of `pc`: from its stats, else measured here. */
function sentLevel(pc: RTCPeerConnection, source: StatsEntry, meter: LevelMeter): number {
  if (source.audioLevel !== undefined || source.totalAudioEnergy !== undefined) return meter.read(source);
  const track = pc.getSenders().find((s) => s.track?.id === source.trackIdentifier)?.track;
  return track && typeof AudioContext !== 'undefined' ? TrackLevel.read(track) : 0;
}

/** Milliseconds from the seconds getStats gives. */
const ms = (seconds: number | undefined) => (seconds === undefined ? undefined : seconds * 1000);

/**
 * The round-trip time of the candidate pair in use, in milliseconds: the one the transport names
 * (another pair may still say it is nominated, with an RTT that no longer changes).
 */
function pairRtt(report: RTCStatsReport): number | undefined {
  let selected: string | undefined;
  let nominated: StatsEntry | undefined;
  report.forEach((s: StatsEntry) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) selected = s.selectedCandidatePairId;
    else if (s.type === 'candidate-pair' && s.nominated) nominated = s;
  });
  const pair: StatsEntry | undefined = selected ? report.get(selected) : nominated;
  return ms(pair?.currentRoundTripTime);
}

/**
 * Reads MediaStats from one RTCPeerConnection's getStats, remembering bytes for the bitrate and
 * audio energy for the level; with `ofMid`, only the streams it accepts (one participant's, on a
 * connection that carries several).
 */
export class StatsReader {
  private lastReading: { report: RTCStatsReport; stats: MediaStats; bytes: number; at: number } | undefined;
  private readonly levelMeter = new LevelMeter();

  async read(pc: RTCPeerConnection, ofMid?: (mid: string | undefined) => boolean): Promise<MediaStats> {
    const report = await statsOf(pc);
    // A report shared with a reading a moment ago: the same figures (a zero-time bitrate would read 0).
    if (this.lastReading?.report === report) return this.lastReading.stats;
    let bytes = 0;
    let packetsLost = 0;
    let packetsReceived = 0;
    let framesDecoded = 0;
    let audio: StatsEntry | undefined;
    let video: StatsEntry | undefined;
    report.forEach((s: StatsEntry) => {
      if (s.type === 'inbound-rtp' && (!ofMid || ofMid(s.mid))) {
        bytes += s.bytesReceived ?? 0;
        packetsLost += s.packetsLost ?? 0;
        packetsReceived += s.packetsReceived ?? 0;
        framesDecoded += s.framesDecoded ?? 0;
        if (s.kind === 'audio') audio = s;
        else video ??= s;
      }
    });
    const at = Date.now();
    const last = this.lastReading;
    const bitrate = last && at > last.at ? Math.max(0, Math.round(((bytes - last.bytes) * 8000) / (at - last.at))) : 0;
    const stats: MediaStats = {
      bitrate,
      packetsLost,
      packetsReceived,
      rtt: pairRtt(report),
      jitter: ms((audio ?? video)?.jitter),
      framesDecoded,
      audioLevel: audio && this.levelMeter.read(audio),
      disconnected: disconnected(pc),
    };
    this.lastReading = { report, stats, bytes, at };
    return stats;
  }
}

/** Reads UplinkStats from one connection that sends this participant's media. */
export class UplinkReader {
  private lastReading: { report: RTCStatsReport; stats: UplinkStats } | undefined;
  private readonly levelMeter = new LevelMeter();

  async read(pc: RTCPeerConnection): Promise<UplinkStats> {
    const report = await statsOf(pc);
    if (this.lastReading?.report === report) return this.lastReading.stats;
    let packetsSent = 0;
    let bytesReceived = 0;
    let fractionLost: number | undefined;
    let reportedRtt: number | undefined;
    let jitter: number | undefined;
    let source: StatsEntry | undefined;
    report.forEach((s: StatsEntry) => {
      if (s.type === 'outbound-rtp') packetsSent += s.packetsSent ?? 0;
      else if (s.type === 'media-source' && s.kind === 'audio') source = s;
      else if (s.type === 'remote-inbound-rtp') {
        fractionLost = Math.max(fractionLost ?? 0, s.fractionLost ?? 0);
        reportedRtt ??= ms(s.roundTripTime);
        // The audio's jitter when there is audio: video's is mostly the burstiness of its frames.
        if (s.kind === 'audio' || jitter === undefined) jitter = ms(s.jitter);
      } else if (s.type === 'transport') bytesReceived += s.bytesReceived ?? 0;
    });
    const stats: UplinkStats = {
      packetsSent,
      fractionLost,
      rtt: pairRtt(report) ?? reportedRtt,
      jitter,
      bytesReceived,
      audioLevel: source && sentLevel(pc, source, this.levelMeter),
      disconnected: disconnected(pc),
    };
    this.lastReading = { report, stats };
    return stats;
  }
}

/** A mesh's uplink: its links' together (counters summed, delays and loss averaged, the microphone's level once). */
export function combineUplinks(links: UplinkStats[]): UplinkStats | undefined {
  if (links.length <= 1) return links[0];
  const sum = (pick: (u: UplinkStats) => number) => links.reduce((n, u) => n + pick(u), 0);
  const mean = (pick: (u: UplinkStats) => number | undefined) => {
    const known = links.map(pick).filter((v): v is number => v !== undefined);
    return known.length ? known.reduce((a, b) => a + b, 0) / known.length : undefined;
  };
  return {
    packetsSent: sum((u) => u.packetsSent),
    fractionLost: mean((u) => u.fractionLost),
    rtt: mean((u) => u.rtt),
    jitter: mean((u) => u.jitter),
    bytesReceived: sum((u) => u.bytesReceived),
    audioLevel: links.find((u) => u.audioLevel !== undefined)?.audioLevel,
    // One live link means the network is there; a dead one shows as that participant's 'lost'.
    disconnected: links.every((u) => u.disconnected),
  };
}
