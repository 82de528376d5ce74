/** Shared by the push bounds tests: a stub resolver, a server with one app, subscription helpers. */
import type { LookupAddress } from 'node:dns';
import { Peer } from './socket.js';
import type { StandInSubscription } from './push-service-stand-in.js';
import { relaxedLimits, startTestServer, type TestServer } from './server.js';

/** A resolver that answers from a table and records what it was asked. */
export function stubResolver(table: Record<string, LookupAddress[]>) {
  const asked: string[] = [];
  const resolveHost = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const found = table[hostname];
    if (!found) throw Object.assign(new Error(`stub resolver: no ${hostname}`), { code: 'ENOTFOUND' });
    return found;
  };
  return { asked, resolveHost };
}

/** A server with one app, and peers on it that are closed with it. */
export async function pushServer(push: NonNullable<Parameters<typeof startTestServer>[0]>['messaging']) {
  const server = await startTestServer({
    ...relaxedLimits,
    messaging: { sendRate: { burst: 1000, perSecond: 1000 }, ...push },
  });
  const app = await server.createApp(['localhost']);
  const token = app.token('web', 'production');
  const peers: Peer[] = [];
  return {
    server,
    app,
    async peer(uid: string, messaging = false): Promise<Peer> {
      const p = await Peer.connect(server.url, token, uid, { messaging });
      peers.push(p);
      return p;
    },
    async stop(): Promise<void> {
      await Promise.all(peers.map((p) => p.close()));
      await server.stop();
    },
  };
}

export function register(p: Peer, endpoint: string, keys: StandInSubscription['keys']): Promise<any> {
  return p.request({ t: 'push.register', subscription: { endpoint, expirationTime: null, keys } });
}

export async function stored(server: TestServer, appId: string, uid: string): Promise<string[]> {
  return (await server.store.push.forUsers(appId, [uid])).map((s) => s.endpoint);
}

export type PushTestServer = Awaited<ReturnType<typeof pushServer>>;
