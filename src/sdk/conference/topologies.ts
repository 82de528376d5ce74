import type { JoinResult } from '../../protocol/index.js';
import { loadCallExtras, callExtras } from './load-call-extras.js';
import type { MediaTopology, TopologyContext } from './media-topology.js';
import { MeshTopology } from './mesh-topology.js';

type ConferenceMode = JoinResult['mode'];

/** Resolves once the topology for `mode` can be made at once (the SFU's comes with the media extras). */
export function topologyReady(mode: ConferenceMode): Promise<unknown> | undefined {
  return mode === 'sfu' && !callExtras ? loadCallExtras() : undefined;
}

/** The media topology for a conference mode a join result or `conf.mode` frame names (after topologyReady). */
export function createTopology(mode: ConferenceMode, context: TopologyContext, epoch: number): MediaTopology {
  if (mode === 'mesh') return new MeshTopology(context);
  if (!callExtras) throw new Error('The SFU topology is not loaded yet.');
  return new callExtras.SfuTopology(context, epoch);
}
