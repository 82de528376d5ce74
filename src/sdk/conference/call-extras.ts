/**
 * What a call needs only past a plain mesh room, loaded once on first use (load-call-extras.ts): the
 * SFU topology (a room past six), the getStats readers (statsFor, the call monitor), the call
 * monitor's readings (active speaker, network quality), the host controls (hosts, lock, lobby) and
 * the rest of a screen share's start.
 * The script-tag build makes it dist/oovoo-call.min.js.
 */
export { combineUplinks, StatsReader, UplinkReader } from './media-stats.js';
export { MonitorReadings } from './monitor-readings.js';
export { HostControls } from './host-controls.js';
export { shareCapture } from './screen-capture.js';
export { SfuTopology } from './sfu-topology.js';
