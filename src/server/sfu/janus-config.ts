// The configuration folder for a Janus we start ourselves: janus.jcfg with only the VideoRoom plugin
// and the WebSocket transport loaded, the transport bound to one address (loopback by default), the
// admin API off unless a port is given, a fixed RTP port range and mDNS candidates ignored. Keys as
// in Debian's janus 1.1 sample configs (/etc/janus/*.jcfg).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface JanusConfigOptions {
  /** Port of the WebSocket transport (Janus API). */
  readonly wsPort: number;
  /** Address the transports bind to (default 127.0.0.1): Janus is never exposed to browsers. */
  readonly bindIp?: string;
  /** Admin API on its own WebSocket port; off when absent. Needs `adminSecret`. */
  readonly adminWsPort?: number;
  readonly adminSecret?: string;
  /** UDP ports for media, inclusive (default 20000-40000). */
  readonly rtpPortRange?: readonly [number, number];
  /** The only interfaces ICE gathers on (Janus never uses loopback), e.g. ['va'] in the test netns. */
  readonly iceEnforceList?: readonly string[];
  /** The public address Janus puts in its candidates in place of its own (1:1 NAT, as on a cloud VM). */
  readonly nat1to1Ip?: string;
  /** Seconds without a keepalive before Janus drops a session (default 60). */
  readonly sessionTimeoutSec?: number;
  /** The VideoRoom admin key: without it in a request, no room can be created. */
  readonly videoroomAdminKey?: string;
  /** Janus log verbosity 0-7 (default 3: fatal, errors and warnings; 4 adds per-session detail). */
  readonly debugLevel?: number;
  /** Folder holding Janus's plugins/, transports/, events/ and loggers/ (found when absent). */
  readonly libDir?: string;
}

const WANTED = { plugins: 'libjanus_videoroom.so', transports: 'libjanus_websockets.so' } as const;

/** Where Debian (multiarch) or a source build put Janus's modules. */
export function findJanusLibDir(): string | undefined {
  const candidates = ['/usr/local/lib/janus', '/opt/janus/lib/janus', '/usr/lib/janus'];
  if (existsSync('/usr/lib')) {
    for (const entry of readdirSync('/usr/lib')) {
      if (entry.endsWith('-linux-gnu')) candidates.unshift(join('/usr/lib', entry, 'janus'));
    }
  }
  return candidates.find((dir) => existsSync(join(dir, 'plugins', WANTED.plugins)));
}

/** A libconfig string literal. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function section(name: string, entries: Record<string, string | number | boolean | undefined>): string {
  const lines = Object.entries(entries)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `\t${k} = ${typeof v === 'string' ? quote(v) : String(v)}`);
  return `${name}: {\n${lines.join('\n')}\n}\n`;
}

/** Every module in a folder except the ones we keep: Janus loads all it finds unless told not to. */
function disableAllBut(dir: string, keep: string | undefined): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => /^libjanus_\w+\.so$/.test(f) && f !== keep)
    .sort()
    .join(',');
}

/**
 * Writes janus.jcfg, janus.plugin.videoroom.jcfg and janus.transport.websockets.jcfg into `dir`
 * (created if needed) and returns the path of janus.jcfg, for `janus -C <it> -F <dir>`.
 */
export function writeJanusConfig(dir: string, options: JanusConfigOptions): string {
  const libDir = options.libDir ?? findJanusLibDir();
  if (!libDir) throw new Error('Janus modules not found (is the janus package installed?); pass libDir');
  if (options.adminWsPort !== undefined && !options.adminSecret)
    throw new Error('An admin API port needs an adminSecret');
  const [rtpMin, rtpMax] = options.rtpPortRange ?? [20000, 40000];
  if (!(rtpMin > 0 && rtpMax >= rtpMin && rtpMax < 65536)) throw new Error(`Bad RTP port range ${rtpMin}-${rtpMax}`);
  const bindIp = options.bindIp ?? '127.0.0.1';
  mkdirSync(dir, { recursive: true });

  const janus = [
    section('general', {
      configs_folder: dir,
      plugins_folder: join(libDir, 'plugins'),
      transports_folder: join(libDir, 'transports'),
      events_folder: join(libDir, 'events'),
      loggers_folder: join(libDir, 'loggers'),
      debug_level: options.debugLevel ?? 3,
      debug_timestamps: true,
      admin_secret: options.adminSecret,
      session_timeout: options.sessionTimeoutSec ?? 60,
      server_name: 'oovoo-janus',
    }),
    section('certificates', {}),
    section('media', { rtp_port_range: `${rtpMin}-${rtpMax}` }),
    section('nat', {
      nice_debug: false,
      ignore_mdns: true,
      ice_enforce_list: options.iceEnforceList?.length ? options.iceEnforceList.join(',') : undefined,
      nat_1_1_mapping: options.nat1to1Ip,
    }),
    section('plugins', { disable: disableAllBut(join(libDir, 'plugins'), WANTED.plugins) }),
    section('transports', { disable: disableAllBut(join(libDir, 'transports'), WANTED.transports) }),
    section('loggers', { disable: disableAllBut(join(libDir, 'loggers'), undefined) }),
    section('events', { broadcast: false }),
  ].join('');
  const websockets = [
    section('general', { json: 'compact', ws: true, ws_port: options.wsPort, ws_ip: bindIp, wss: false }),
    section('admin', {
      admin_ws: options.adminWsPort !== undefined,
      admin_ws_port: options.adminWsPort,
      admin_ws_ip: options.adminWsPort !== undefined ? bindIp : undefined,
      admin_wss: false,
    }),
  ].join('');
  // No static rooms: the broker creates each room, and with an admin key only it can.
  const videoroom = section('general', { admin_key: options.videoroomAdminKey, string_ids: false });

  const main = join(dir, 'janus.jcfg');
  writeFileSync(main, janus);
  writeFileSync(join(dir, 'janus.transport.websockets.jcfg'), websockets);
  writeFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), videoroom);
  return main;
}
