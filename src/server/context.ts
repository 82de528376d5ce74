import type { FastifyBaseLogger } from 'fastify';
import type { AppService } from './apps.js';
import type { Bus } from './bus/index.js';
import type { ConnectionRegistry } from './connections.js';
import type { FrameRouter } from './frame-router.js';
import type { Cluster } from './cluster/cluster.js';
import type { SharedRateLimiter } from './cluster/shared-limits.js';
import type { SessionTokens } from './session-tokens.js';
import type { ResolvedSocketLimits } from './socket-limits.js';
import type { Store } from './store/types.js';

/** What route modules share. Built once per server in server.ts. */
export interface ServerContext {
  readonly store: Store;
  readonly apps: AppService;
  readonly sessions: SessionTokens;
  readonly connections: ConnectionRegistry;
  /** Frame types and connection hooks; feature modules (conference, messaging) register here. */
  readonly router: FrameRouter;
  /** Delivery and conference relay publish here; whoever holds the recipients' connections subscribes. */
  readonly bus: Bus;
  /** Room ownership, presence and shared limits: in memory on one node, in Redis between nodes. */
  readonly cluster: Cluster;
  readonly limits: {
    /** Every login request, per address (for the whole cluster). */
    readonly loginPerAddress: SharedRateLimiter;
    /** Failed logins, per app and address (for the whole cluster). */
    readonly failedLogin: SharedRateLimiter;
  };
  readonly options: {
    readonly pingIntervalMs: number;
    readonly pingTimeoutMs: number;
    /** Bytes buffered per socket and frames per connection. */
    readonly sockets: ResolvedSocketLimits;
  };
  readonly log: FastifyBaseLogger;
}
