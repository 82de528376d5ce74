import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach } from 'node:test';
import type { MessagingOptions } from '../../src/server/messaging/options.js';
import type { StorageOptions } from '../../src/server/messaging/storage-options.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import { Peer } from './socket.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from './server.js';

/** Helpers of the B5 storage bound tests (bounds-storage*.test.ts). */

/** A message body of 1,000 bytes, and what one entry of it counts in the storage quotas. */
export const BODY = 'x'.repeat(1000);
export const ENTRY = messageEntryBytes(BODY);

/** Servers made in a test, with their peers, all closed after it; call inside a describe. */
export function storageHarness() {
  const servers: TestServer[] = [];
  const peers: Peer[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    for (const s of servers.splice(0)) await s.stop();
  });
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return {
    async server(storage: StorageOptions, dataDir?: string, messaging: MessagingOptions = {}): Promise<TestServer> {
      const server = await startTestServer({
        ...relaxedLimits,
        ...(dataDir ? { dataDir } : {}),
        messaging: { sendRate: { burst: 2000, perSecond: 2000 }, ...messaging, storage },
      });
      servers.push(server);
      return server;
    },
    /** Stops a server early (its data folder stays when the test owns it). */
    async stop(server: TestServer): Promise<void> {
      await Promise.all(peers.splice(0).map((p) => p.close()));
      servers.splice(servers.indexOf(server), 1);
      await server.stop();
    },
    async peer(server: TestServer, app: TestApp, uid: string, opts: { autoReceive?: boolean } = {}): Promise<Peer> {
      const p = await Peer.connect(server.url, app.token('web', 'production'), uid, opts);
      peers.push(p);
      return p;
    },
    dir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'oovoo-bounds-storage-'));
      dirs.push(dir);
      return dir;
    },
  };
}
