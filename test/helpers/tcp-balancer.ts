import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP load balancer on loopback in front of several server nodes, for the cluster tests: one URL
 * for every client, each new connection piped to one backend. (test/helpers/tcp-proxy.ts is the
 * single-backend proxy that cuts and delays connections.)
 *
 * - `route('round-robin')` (the default): each new connection goes to the next backend.
 * - `route(i)`: new connections go to backend i (Alice on node A, Bob on node B, one URL).
 * - A backend that is unset (`setBackend(i, undefined)`: its node is down) or refuses the connect is
 *   passed over for the next one, unless `route(i, { failover: false })`: then the client is cut.
 * - A backend that dies closes its connections: its clients see the close and reconnect here.
 */
export interface Backend {
  readonly host: string;
  readonly port: number;
}

export type Route = number | 'round-robin';

export interface TcpBalancer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  /** Each backend's address by index; undefined while it is down. */
  readonly backends: ReadonlyArray<Backend | undefined>;
  /** Where new connections go from now on; connections already open stay where they are. */
  route(to: Route, options?: { failover?: boolean }): void;
  /** Sets backend i's address (a restarted node on a new port), or unsets it (a node that is down). */
  setBackend(index: number, backend: Backend | undefined): void;
  /** Adds a backend; returns its index. */
  addBackend(backend: Backend | undefined): number;
  /** Open client connections piped to each backend, by index. */
  connections(): number[];
  /** The backend each connection accepted so far went to (undefined: no backend took it), in order. */
  readonly history: ReadonlyArray<number | undefined>;
  /** Destroys the open connections of backend i, or of every backend. */
  cut(index?: number): void;
  close(): Promise<void>;
}

type Pair = { readonly client: Socket; upstream: Socket | undefined };

export async function startTcpBalancer(initial: ReadonlyArray<Backend | undefined>): Promise<TcpBalancer> {
  const backends: Array<Backend | undefined> = [...initial];
  const open: Array<Set<Pair>> = backends.map(() => new Set());
  const history: Array<number | undefined> = [];
  let routing: Route = 'round-robin';
  let failover = true;
  let next = 0;
  /** Connections still waiting for a backend to accept. */
  const pending = new Set<Socket>();

  /** The backends to try for a new connection, first choice first. */
  const candidates = (): number[] => {
    const all = backends.map((_, i) => i);
    if (routing === 'round-robin') {
      const start = next++ % Math.max(1, all.length);
      return [...all.slice(start), ...all.slice(0, start)];
    }
    const pinned = routing;
    return failover ? [pinned, ...all.filter((i) => i !== pinned)] : [pinned];
  };

  /** Connects to the first candidate that accepts; resolves undefined when none does. */
  const connectUpstream = async (order: number[], client: Socket): Promise<[number, Socket] | undefined> => {
    for (const index of order) {
      const backend = backends[index];
      if (!backend || client.destroyed) continue;
      const upstream = connect(backend.port, backend.host);
      const ok = await new Promise<boolean>((resolve) => {
        upstream.once('connect', () => resolve(true));
        upstream.once('error', () => resolve(false));
      });
      if (ok) return [index, upstream];
      upstream.destroy();
    }
    return undefined;
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    const pair: Pair = { client, upstream: undefined };
    const slot = history.push(undefined) - 1;
    client.on('error', () => client.destroy());
    pending.add(client);
    void connectUpstream(candidates(), client).then((found) => {
      pending.delete(client);
      if (!found || client.destroyed) {
        found?.[1].destroy();
        client.destroy();
        return;
      }
      const [index, upstream] = found;
      history[slot] = index;
      pair.upstream = upstream;
      const set = open[index]!;
      set.add(pair);
      // Either side closing closes both: a dead node's clients see their connection end.
      const drop = () => {
        set.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const cut = (index?: number) => {
    if (index === undefined) for (const client of pending) client.destroy();
    for (const [i, set] of open.entries()) {
      if (index !== undefined && i !== index) continue;
      for (const pair of set) {
        pair.client.destroy();
        pair.upstream?.destroy();
      }
      set.clear();
    }
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    backends,
    history,
    route(to, options = {}) {
      if (to !== 'round-robin' && (!Number.isInteger(to) || to < 0 || to >= backends.length))
        throw new Error(`no backend ${to}: there are ${backends.length}`);
      routing = to;
      failover = options.failover ?? true;
    },
    setBackend(index, backend) {
      if (index < 0 || index >= backends.length) throw new Error(`no backend ${index}: there are ${backends.length}`);
      backends[index] = backend;
    },
    addBackend(backend) {
      open.push(new Set());
      return backends.push(backend) - 1;
    },
    connections: () => open.map((set) => set.size),
    cut,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      cut();
      await closed;
    },
  };
}
