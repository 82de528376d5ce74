import WebSocket from 'ws';
import { OoVooClient } from '../../src/sdk/client.js';
import { ExponentialBackoffPolicy } from '../../src/sdk/signaling/reconnect-policy.js';

/**
 * Runs the browser SDK in Node as a page of `origin` would: a global WebSocket (the `ws` package)
 * and fetch that send that Origin, since web tokens are checked against the app's domains.
 */
export function installNodeWebSocket(origin = 'http://localhost'): void {
  class PageWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { origin });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = PageWebSocket;
  const nodeFetch = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('origin')) headers.set('origin', origin);
    return nodeFetch(input, { ...init, headers });
  };
}

/** An OoVooClient signed in with messaging on, reconnecting quickly after a drop. */
export async function connectNodeClient(server: string, userId: string, userToken: string): Promise<OoVooClient> {
  const client = new OoVooClient();
  client.configure({
    server,
    reconnectPolicy: new ExponentialBackoffPolicy({ initialMs: 100, maxMs: 500, maxElapsedMs: 120_000 }),
  });
  await client.connect({ userId, userToken, enableMessaging: true });
  return client;
}
