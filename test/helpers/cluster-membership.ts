import type { TestRedis } from './redis.js';

/**
 * The nodes that joined the cluster on this Redis, as Redis itself sees them: a node in cluster mode
 * (--redis, or $OOVOO_REDIS_URL) holds two connections named `oovoo-<node id>` (commands) and
 * `oovoo-sub-<node id>` (the bus's subscriber), and listens on its own channel `oovoo:bus:node␀<id>`.
 * Answers the ids of the nodes that have all three, sorted; a node that runs alone has none of them.
 */
export async function clusterNodesInRedis(redis: TestRedis): Promise<string[]> {
  const client = redis.client();
  try {
    const list = String(await client.client('LIST'));
    const names = new Set(
      list
        .split('\n')
        .map((line) => /(?:^| )name=(\S+)/.exec(line)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    const ids = [...names]
      .filter((name) => name.startsWith('oovoo-') && !name.startsWith('oovoo-sub-'))
      .map((name) => name.slice('oovoo-'.length))
      .filter((id) => names.has(`oovoo-sub-${id}`))
      .sort();
    if (ids.length === 0) return [];
    const reply = (await client.call('PUBSUB', 'NUMSUB', ...ids.map((id) => `oovoo:bus:node\u0000${id}`))) as (
      string | number
    )[];
    return ids.filter((_, i) => Number(reply[2 * i + 1]) > 0);
  } finally {
    client.disconnect();
  }
}
