import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback in front of a server, for cutting connections on purpose:
 * `cut()` destroys every open pair; `outage(ms)` also refuses new ones for that long. It also
 * shapes what it forwards: `latencyMs` delays every chunk each way (order kept), `hold()` keeps
 * everything in the proxy with the connections open until `release()`.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly pairs = new Set<[Socket, Socket]>();
  private readonly flushers = new Set<() => void>();
  private refusingUntil = 0;
  private held = false;
  port = 0;
  /** Added to each chunk's trip, each way (a long path: the round trip grows by twice this). */
  latencyMs = 0;

  private constructor(
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {
    this.server = createServer((client) => {
      if (Date.now() < this.refusingUntil) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      const pair: [Socket, Socket] = [client, upstream];
      this.pairs.add(pair);
      const flushers = [this.forward(client, upstream), this.forward(upstream, client)];
      for (const f of flushers) this.flushers.add(f);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
        for (const f of flushers) this.flushers.delete(f);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
  }

  /** Copies `from` to `to`, each chunk after `latencyMs` and not while held; returns its flush. */
  private forward(from: Socket, to: Socket): () => void {
    const queue: Array<{ due: number; data: Buffer }> = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ended = false;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (this.held || to.destroyed) return;
      while (queue.length > 0 && queue[0]!.due <= Date.now()) to.write(queue.shift()!.data);
      if (queue.length > 0) timer = setTimeout(flush, queue[0]!.due - Date.now());
      else if (ended) to.end();
    };
    from.on('data', (data: Buffer) => {
      queue.push({ due: Date.now() + this.latencyMs, data });
      flush();
    });
    from.on('end', () => {
      ended = true;
      flush();
    });
    from.on('close', () => clearTimeout(timer));
    return flush;
  }

  /** Forwards nothing more, either way, until release(): the connections stay open (a path gone silent). */
  hold(): void {
    this.held = true;
  }

  /** Forwards what waited, and everything after. */
  release(): void {
    this.held = false;
    for (const flush of this.flushers) flush();
  }

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, targetHost);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    const address = proxy.server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** How many client connections are open through the proxy. */
  get openConnections(): number {
    return this.pairs.size;
  }

  /** Destroys every open connection (a network blip). */
  cut(): void {
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  /** Cuts, and refuses new connections for `ms` (the network is gone for a while). */
  outage(ms: number): void {
    this.refusingUntil = Date.now() + ms;
    this.cut();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
