/** What arrives from one remote participant, for network-quality indicators. */
export interface MediaStats {
  /** Bits per second received (audio and video) since the previous reading; 0 on the first. */
  readonly bitrate: number;
  /** Packets lost on the way here, in total. */
  readonly packetsLost: number;
  /** Round-trip time of the candidate pair in use, in milliseconds; undefined until measured. */
  readonly rtt: number | undefined;
  /** Video frames decoded, in total. */
  readonly framesDecoded: number;
}

/** The fields of getStats entries that MediaStats reads. */
interface StatsEntry {
  readonly type: string;
  readonly mid?: string;
  readonly bytesReceived?: number;
  readonly packetsLost?: number;
  readonly framesDecoded?: number;
  readonly nominated?: boolean;
  readonly currentRoundTripTime?: number;
}

/**
 * Reads MediaStats from one RTCPeerConnection's getStats, remembering bytes for the bitrate; with
 * `ofMid`, only the streams it accepts (one participant's, on a connection that carries several).
 */
export class StatsReader {
  private last: { bytes: number; at: number } | undefined;

  async read(pc: RTCPeerConnection, ofMid?: (mid: string | undefined) => boolean): Promise<MediaStats> {
    let bytes = 0;
    let packetsLost = 0;
    let framesDecoded = 0;
    let rtt: number | undefined;
    (await pc.getStats()).forEach((s: StatsEntry) => {
      if (s.type === 'inbound-rtp' && (!ofMid || ofMid(s.mid))) {
        bytes += s.bytesReceived ?? 0;
        packetsLost += s.packetsLost ?? 0;
        framesDecoded += s.framesDecoded ?? 0;
      } else if (s.nominated && s.currentRoundTripTime !== undefined) {
        // The candidate pair in use.
        rtt = s.currentRoundTripTime * 1000;
      }
    });
    const at = Date.now();
    const last = this.last;
    this.last = { bytes, at };
    const bitrate = last && at > last.at ? Math.max(0, Math.round(((bytes - last.bytes) * 8000) / (at - last.at))) : 0;
    return { bitrate, packetsLost, rtt, framesDecoded };
  }
}
