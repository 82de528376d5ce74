import type { ConferenceRole, ServerFrame } from '../../protocol/index.js';
import { nodeTopic, type Bus, type RemotePeerInfo } from '../bus/index.js';
import type { FrameRouter } from '../frame-router.js';
import type { Peer } from '../peer.js';

/** The conference's frame types: from a socket on this node, or from one on another node, forwarded. */
export type ConferenceRouter = FrameRouter<Peer>;

/**
 * A member whose socket is on another node, as the room's owner sees it: what the room sends it
 * goes back over the bus to that node, which hands it to the socket.
 */
export class RemotePeer implements Peer {
  readonly id: string;
  readonly node: string;
  readonly appId: string;
  readonly uid: string;
  readonly role: ConferenceRole;

  constructor(
    info: RemotePeerInfo,
    private readonly bus: Bus,
  ) {
    ({ id: this.id, node: this.node, appId: this.appId, uid: this.uid, role: this.role } = info);
  }

  send(frame: ServerFrame): boolean {
    // One publishing connection per node keeps the room's frames in the order they were said.
    this.bus.publish(nodeTopic(this.node), { t: 'peer.frame', peer: this.id, frame });
    return true;
  }
}
