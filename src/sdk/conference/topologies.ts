import type { JoinResult } from '../../protocol/index.js';
import type { TopologyFactory } from './media-topology.js';
import { MeshTopology } from './mesh-topology.js';
import { SfuTopology } from './sfu-topology.js';

/** The media topology for each conference mode a join result or `conf.mode` frame can name. */
export const TOPOLOGIES: Readonly<Record<JoinResult['mode'], TopologyFactory>> = {
  mesh: (context) => new MeshTopology(context),
  sfu: (context, epoch) => new SfuTopology(context, epoch),
};
