import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/server/cli.js';
import type { CommitLimits, MessagingOp, SendOp } from '../../src/server/store/messaging-types.js';
import type { Store } from '../../src/server/store/types.js';
import { relaxedLimits, s2sLogin, sessionTokenFor, startTestServer, verifySession } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { STORE_ENGINES, type StorePlace } from '../helpers/store-engines.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Several server nodes on one PostgreSQL store: two store instances stand for two nodes committing
 * to the same inboxes at once; then two servers starting together, and the CLI's --store.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const postgres = STORE_ENGINES.find((e) => e.name === 'postgres')!;
const APP = 'app-nodes';
let ids = 0;

function send(node: string, sender: string, to: string[], body = 'hi'): SendOp {
  const msgId = `${node}-${++ids}`;
  return { kind: 'send', appId: APP, sender, msgId, clientId: msgId, to, body, createdAt: Date.now() };
}

async function twoNodes(): Promise<{ place: StorePlace; a: Store; b: Store; close(): Promise<void> }> {
  const place = await postgres.place();
  // Both migrate at once, as two nodes starting together do.
  const [a, b] = await Promise.all([place.open(), place.open()]);
  return { place, a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

/** Commits each node's batches one after another (as its inbox writer does), both nodes at once. */
async function race(nodes: Array<[Store, MessagingOp[][]]>, limits: CommitLimits) {
  return Promise.all(
    nodes.map(async ([store, batches]) => {
      const commits = [];
      for (const ops of batches) commits.push(await store.messages.commit(ops, limits));
      return commits;
    }),
  );
}

describe('PostgreSQL store shared by two nodes', () => {
  it('numbers every entry once: no duplicate or lost sequence number when both commit to the same inboxes', async () => {
    const { a, b, close } = await twoNodes();
    try {
      const recipients = ['r1', 'r2', 'r3', 'r4'];
      const batches = (node: string) =>
        Array.from({ length: 40 }, (_, i) =>
          Array.from({ length: 5 }, (_, j) => send(node, `s-${node}`, [recipients[(i + j) % 4]!, 'everyone'])),
        );
      const [fromA, fromB] = await race(
        [
          [a, batches('A')],
          [b, batches('B')],
        ],
        { inboxQuota: 100_000 },
      );
      const commits = [...fromA!, ...fromB!];
      const seqs = commits.flatMap((c) => c.deliveries.map((d) => d.entry.seq));
      const stored = await Promise.all(
        [...recipients, 'everyone'].map((uid) => a.messages.pending(APP, uid, 0, 10_000)),
      );
      const storedIds = stored.flat().map((e) => e.id);

      assert.ok(commits.every((c) => c.results.every((r) => r.ok)));
      assert.equal(seqs.length, 2 * 40 * 5 * 2);
      assert.equal(new Set(seqs).size, seqs.length, 'duplicate sequence numbers');
      assert.equal(stored[4]!.length, 400, 'the shared inbox holds every message once');
      assert.equal(storedIds.length, 800);
      // Each inbox reads back in increasing order, and each commit's numbers follow the one before on its node.
      for (const inbox of stored) assert.ok(inbox.every((e, i) => i === 0 || e.seq > inbox[i - 1]!.seq));
      for (const node of [fromA!, fromB!]) {
        const firsts = node.map((c) => c.deliveries[0]!.entry.seq);
        assert.ok(firsts.every((s, i) => i === 0 || s > firsts[i - 1]!));
      }
    } finally {
      await close();
    }
  });

  it('holds the inbox quota and the storage quota across both nodes', async () => {
    const { a, b, close } = await twoNodes();
    try {
      const limits: CommitLimits = { inboxQuota: 10, senderBytes: 7 * (256 + 2) };
      const toInbox = (node: string) => Array.from({ length: 15 }, () => [send(node, `x-${node}`, ['quota-user'])]);
      const bySender = (node: string) => Array.from({ length: 10 }, () => [send(node, 'one-sender', [`u-${node}`])]);
      const [inA, inB] = await race(
        [
          [a, toInbox('A')],
          [b, toInbox('B')],
        ],
        limits,
      );
      const [senderA, senderB] = await race(
        [
          [a, bySender('A')],
          [b, bySender('B')],
        ],
        limits,
      );
      const accepted = (commits: Awaited<ReturnType<Store['messages']['commit']>>[]) =>
        commits.filter((c) => c.results[0]!.ok).length;

      assert.equal(accepted(inA!) + accepted(inB!), 10);
      assert.equal(await a.messages.pendingCount(APP, 'quota-user'), 10);
      assert.equal(accepted(senderA!) + accepted(senderB!), 7);
      assert.equal(await b.messages.storedBytes(APP, 'one-sender'), 7 * (256 + 2));
    } finally {
      await close();
    }
  });

  it('a commit waits only for commits to the same inboxes, never for one to other inboxes', async () => {
    const { place, a, b, close } = await twoNodes();
    const pg = await import('pg');
    // A third session stands for node B in the middle of a long commit to busy-user's inbox: it holds that inbox's lock.
    const holder = new pg.default.Client({ connectionString: place.storeUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        JSON.stringify(['inbox', APP, 'busy-user']),
      ]);
      const limits = { inboxQuota: 100 };
      // To another inbox: commits while the lock is held (before this test's deadline, which the held lock would pass).
      const other = await a.messages.commit([send('A', 'sender-1', ['calm-user'])], limits);
      assert.ok(other.results[0]!.ok);
      // To the busy inbox: waits until the holder ends.
      let busyDone = false;
      const busy = b.messages.commit([send('B', 'sender-2', ['busy-user'])], limits).then((c) => {
        busyDone = true;
        return c;
      });
      await waitFor(
        async () => {
          const rows = await place.query(
            "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          );
          return Number(rows[0]!.n) === 1;
        },
        { what: 'the commit to the busy inbox waits on its lock' },
      );
      assert.equal(busyDone, false);
      await holder.query('COMMIT');
      const committed = await busy;
      assert.ok(committed.results[0]!.ok);
      assert.ok(committed.deliveries[0]!.entry.seq > other.deliveries[0]!.entry.seq);
    } finally {
      await holder.end();
      await close();
    }
  });

  it('never numbers an entry below one already handed out, after the largest was received and deleted', async () => {
    const { a, b, close } = await twoNodes();
    try {
      const first = await a.messages.commit([send('A', 'seq-sender', ['seq-user'])], { inboxQuota: 100 });
      const delivered = first.deliveries[0]!.entry;
      // The recipient received it: the largest number in the inbox table is gone.
      await a.messages.commit([{ kind: 'remove', appId: APP, uid: 'seq-user', ids: [delivered.id] }], {
        inboxQuota: 100,
      });
      const next = await b.messages.commit([send('B', 'seq-sender', ['seq-user'])], { inboxQuota: 100 });
      // A connection that read up to the first would skip a reused number.
      assert.ok(next.deliveries[0]!.entry.seq > delivered.seq, `${next.deliveries[0]!.entry.seq} > ${delivered.seq}`);
    } finally {
      await close();
    }
  });

  it('moves Read receipts only forward when Delivered and Read race from the two nodes', async () => {
    const { a, b, close } = await twoNodes();
    try {
      const messages = Array.from({ length: 60 }, () => send('A', 'alice', ['bob']));
      await a.messages.commit(messages, { inboxQuota: 100_000 });
      const receipt = (msgId: string, state: 'Delivered' | 'Read'): MessagingOp[] => [
        { kind: 'receipt', appId: APP, from: 'bob', to: ['alice'], msgId, state, createdAt: Date.now() },
      ];
      // Node A reports Read and node B Delivered for every message, at the same time.
      const [reads, delivereds] = await race(
        [
          [a, messages.map((m) => receipt(m.msgId, 'Read'))],
          [b, messages.map((m) => receipt(m.msgId, 'Delivered'))],
        ],
        { inboxQuota: 100_000 },
      );
      const forwarded = (commits: typeof reads) =>
        commits!.map((c) => {
          const r = c.results[0]!;
          return r.ok && r.kind === 'receipt' && r.forwarded;
        });
      const ranks = await a.messages.pending(APP, 'alice', 0, 10_000);

      assert.ok(forwarded(reads).every(Boolean), 'every Read moves forward');
      const stored = (await b.messages.pending(APP, 'alice', 0, 10_000)).filter((e) => e.kind === 'receipt');
      assert.equal(stored.length, ranks.length);
      for (const m of messages) {
        const states = stored.filter((e) => e.msgId === m.msgId).map((e) => e.kind === 'receipt' && e.state);
        // Delivered, if it was forwarded at all, came before Read: never Read then Delivered.
        assert.ok(['Read', 'Delivered,Read'].includes(states.join(',')), `${m.msgId}: ${states.join(',')}`);
      }
      assert.equal(
        forwarded(delivereds).filter(Boolean).length,
        stored.filter((e) => e.kind === 'receipt' && e.state === 'Delivered').length,
      );
    } finally {
      await close();
    }
  });

  it('two servers starting together make one VAPID key pair, and each accepts the sessions of the other', async () => {
    const place = await postgres.place();
    const [one, two] = await Promise.all([
      startTestServer({ ...relaxedLimits, ...place.serverOptions() }),
      startTestServer({ ...relaxedLimits, ...place.serverOptions() }),
    ]);
    const peers: Peer[] = [];
    try {
      const app = await one.createApp(['localhost']);
      const token = app.token('web', 'production');
      const session = await sessionTokenFor(one.url, token, 'alice');
      peers.push(await Peer.connect(one.url, token, 'alice'));
      peers.push(await Peer.connect(two.url, token, 'alice', { token: session }));
      const keys = await Promise.all(peers.map(async (p) => (await p.request({ t: 'push.key' })).result.publicKey));
      const stored = JSON.parse((await one.store.settings.get('vapid_keys'))!);

      assert.equal(typeof keys[0], 'string');
      assert.equal(keys[1], keys[0]);
      assert.equal(stored.publicKey, keys[0]);
      assert.equal((await verifySession(two.url, { token: session, userId: 'alice' })).status, 200);
    } finally {
      await Promise.all(peers.map((p) => p.close()));
      await Promise.all([one.stop(), two.stop()]);
    }
  });
});

describe('oovoo-server start --store postgres://…', () => {
  const children: ChildProcess[] = [];
  after(async () => {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses to start without OOVOO_SESSION_SECRET, saying so', async () => {
    const place = await postgres.place();
    const saved = process.env.OOVOO_SESSION_SECRET;
    delete process.env.OOVOO_SESSION_SECRET;
    const err: string[] = [];
    try {
      const code = await main(
        ['start', '--store', place.storeUrl!, '--port', '0', '--data', place.dataDir],
        () => undefined,
        (t) => err.push(t),
      );
      assert.equal(code, 1);
      assert.match(err.join('\n'), /OOVOO_SESSION_SECRET is required with a PostgreSQL store/);
      // Nothing was written to the database either.
      assert.deepEqual(await place.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'apps'"), []);
    } finally {
      if (saved !== undefined) process.env.OOVOO_SESSION_SECRET = saved;
    }
  });

  it('starts on PostgreSQL: an app made by `app create --store` logs in on it', async () => {
    const place = await postgres.place();
    const secret = randomBytes(32).toString('hex');
    const out: string[] = [];
    const created = await main(
      ['app', 'create', '--name', 'Cluster', '--domain', 'localhost', '--store', place.storeUrl!, '--json'],
      (t) => out.push(t),
      (t) => out.push(t),
    );
    assert.equal(created, 0, out.join('\n'));
    const appToken = JSON.parse(out[0]!).tokens.find((t: any) => t.type === 'web' && t.environment === 'production');

    const env = { ...process.env, OOVOO_SESSION_SECRET: secret, OOVOO_STORE_URL: place.storeUrl! };
    const run =
      "const { main } = await import('./src/server/cli.ts'); process.exitCode = await main(process.argv.slice(1));";
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', run, 'start', '--port', '0', '--data', place.dataDir],
      { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const url = await waitFor(
      () => {
        if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
        return /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      },
      { what: 'the server to listen', timeoutMs: 60_000 },
    );
    const login = await s2sLogin(url, appToken.token, JSON.stringify({ payload: { user_id: 'bob' } }), {
      origin: 'localhost',
    });

    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.doesNotMatch(output, /Created a development app/);
    assert.equal((await place.query('SELECT count(*) AS n FROM apps'))[0]!.n, '1');
  });
});
