import type { JoinResult } from '../../protocol/index.js';
import type { TopologyFactory } from './media-topology.js';
import { MeshTopology } from './mesh-topology.js';

/** The media topology for each conference mode a join result can name ('sfu' comes with the SFU). */
export const TOPOLOGIES: Readonly<Record<JoinResult['mode'], TopologyFactory>> = {
  mesh: (context) => new MeshTopology(context),
};
