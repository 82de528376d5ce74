import { randomInt } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { SfuServerFrame } from '../../protocol/index.js';
import { JanusClient } from '../sfu/janus-client.js';
import type { LocalJanusOptions } from '../sfu/janus-supervisor.js';
import { VideoRoomControl } from '../sfu/videoroom.js';
import type { Room } from './room.js';
import { SfuRoom } from './sfu-room.js';

/** Conferences through Janus (CLI: --janus, --janus-admin-key, --sfu-from). */
export interface SfuOptions {
  /**
   * Janus's WebSocket transport, e.g. ws://127.0.0.1:8188 (loopback or a private address), or 'auto':
   * createServer starts and supervises a local Janus (src/server/sfu/janus-supervisor.ts).
   */
  readonly janusUrl: string;
  /** The local Janus of 'auto': RTP ports, ICE interfaces, binary. */
  readonly local?: LocalJanusOptions;
  /** The VideoRoom plugin's admin_key, when Janus has one. */
  readonly adminKey?: string;
  /** The join that takes a room to this many participants moves it to the SFU (default 5). */
  readonly sfuFrom?: number;
  /** Most participants in one SFU room (default 50). */
  readonly maxParticipants?: number;
}

/** What the SFU layer tells the conference layer. */
export interface SfuMediaHost {
  /** Every SFU room, for a rebuild after Janus came back. */
  sfuRooms(): Iterable<Room>;
  /** Sends a frame to every present member of a room. */
  tell(room: Room, frame: SfuServerFrame): void;
}

/**
 * The server's side of the SFU: one Janus session (JanusClient reconnects on its own), a VideoRoom
 * per conference that moved, and the rebuild of every such room, with a new epoch, after Janus
 * came back. While Janus is away no room moves: they stay a mesh, within the mesh's cap.
 */
export class SfuMedia {
  private readonly client: JanusClient;
  private control: VideoRoomControl | undefined;
  private readonly live = new Map<Room, SfuRoom>();
  /** Janus room numbers: random base, then counting, so two servers on one Janus rarely meet. */
  private nextJanusRoom = randomInt(1, 2 ** 30);

  constructor(
    private readonly options: SfuOptions,
    private readonly host: SfuMediaHost,
    private readonly log: FastifyBaseLogger,
  ) {
    this.client = new JanusClient({ url: options.janusUrl });
    this.client.on('session', ({ epoch }) => void this.sessionReady(epoch));
    this.client.on('lost', ({ reason }) => this.sessionLost(reason));
  }

  get sfuFrom(): number {
    return this.options.sfuFrom ?? 5;
  }

  get maxParticipants(): number {
    return this.options.maxParticipants ?? 50;
  }

  /** Whether a room may move now (Janus answers). */
  get available(): boolean {
    return this.control !== undefined && this.client.state === 'ready';
  }

  start(): void {
    this.client.start().catch((e: unknown) => this.log.warn({ err: String(e) }, 'Janus client stopped'));
  }

  /** Moves a room to the SFU (its epoch already raised by the caller) and adds its members. */
  open(room: Room): void {
    const control = this.control;
    if (!control) return;
    const janusRoom = this.nextJanusRoom++;
    const epoch = room.epoch;
    const sfu: SfuRoom = new SfuRoom(this.client, janusRoom, epoch, {
      offer: (uid, sdp, streams): boolean =>
        room.get(uid)?.peer?.send({ t: 'conf.sfu.offer', conf: room.conf, epoch, sdp, streams }) ?? false,
      failed: (error, what) => this.log.warn({ err: String(error), what, epoch }, 'SFU operation failed'),
    });
    room.sfu = control
      .createRoom({ room: janusRoom, adminKey: this.options.adminKey, publishers: this.maxParticipants })
      .then(() => {
        this.live.set(room, sfu);
        for (const p of room.participants()) sfu.add(p.uid);
        return sfu;
      });
    room.sfu.catch((e: unknown) => {
      this.log.error({ err: String(e) }, 'could not make a Janus room');
      this.host.tell(room, { t: 'conf.sfu.unavailable', conf: room.conf, epoch: room.epoch });
    });
  }

  /** The room's SFU of `epoch`, once Janus made it; refuses a stale epoch. */
  async of(room: Room, epoch: number): Promise<SfuRoom> {
    if (room.mode !== 'sfu' || epoch !== room.epoch || !room.sfu) throw new Error('stale epoch');
    const sfu = await room.sfu;
    if (sfu.epoch !== room.epoch) throw new Error('stale epoch');
    return sfu;
  }

  /** A member joined a room on the SFU. */
  add(room: Room, uid: string): void {
    void room.sfu?.then((sfu) => sfu.add(uid)).catch(() => undefined);
  }

  remove(room: Room, uid: string): void {
    void room.sfu?.then((sfu) => sfu.remove(uid)).catch(() => undefined);
  }

  /** The last member left: its Janus room goes. */
  close(room: Room): void {
    const sfu = this.live.get(room);
    this.live.delete(room);
    if (!sfu) return;
    void sfu.close();
    this.control?.destroyRoom(sfu.janusRoom).catch(() => undefined);
  }

  async stop(): Promise<void> {
    for (const room of [...this.live.keys()]) this.close(room);
    await this.client.close();
  }

  private async sessionReady(epoch: number): Promise<void> {
    try {
      this.control = await VideoRoomControl.attach(this.client);
    } catch (e) {
      this.log.error({ err: String(e) }, 'could not attach to the Janus VideoRoom plugin');
      return;
    }
    if (epoch > 1) this.log.info({ rooms: this.live.size }, 'Janus is back: rebuilding SFU rooms');
    for (const room of this.host.sfuRooms()) {
      if (this.live.has(room) || room.size === 0) continue;
      room.epoch++;
      this.open(room);
      this.host.tell(room, { t: 'conf.mode', conf: room.conf, mode: 'sfu', epoch: room.epoch });
    }
  }

  private sessionLost(reason: string): void {
    this.control = undefined;
    this.log.error({ reason, rooms: this.live.size }, 'Janus went away: SFU rooms have no media until it is back');
    for (const [room, sfu] of this.live) {
      this.host.tell(room, { t: 'conf.sfu.unavailable', conf: room.conf, epoch: sfu.epoch });
      room.sfu = undefined;
    }
    this.live.clear();
  }
}
