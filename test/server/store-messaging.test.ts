import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { peopleKey } from '../../src/server/store/history-store.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import type { CommitLimits, MessagingOp, SendOp } from '../../src/server/store/messaging-types.js';
import type { Store } from '../../src/server/store/types.js';
import { STORE_ENGINES } from '../helpers/store-engines.js';

/** The messaging store itself (commit, quotas, receipts, removal, expiry), on each engine. */

const APP = 'app-1';
const LIMITS: CommitLimits = { inboxQuota: 1000 };
let ids = 0;

function send(sender: string, to: string[], body = 'hello', extra: Partial<SendOp> = {}): SendOp {
  const msgId = `m${++ids}`;
  return { kind: 'send', appId: APP, sender, msgId, to, body, createdAt: Date.now(), ...extra };
}

for (const engine of STORE_ENGINES) {
  describe(`messaging store (${engine.name})`, () => {
    async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
      const store = await (await engine.place()).open();
      try {
        await run(store);
      } finally {
        await store.close();
      }
    }

    it('numbers entries in commit order across commits, and answers a retried client id with the first msg_id', async () => {
      await withStore(async (store) => {
        const first = await store.messages.commit([send('alice', ['bob', 'carol'], 'one', { clientId: 'c1' })], LIMITS);
        const second = await store.messages.commit(
          [send('alice', ['bob'], 'two'), send('alice', ['bob'], 'again', { clientId: 'c1' })],
          LIMITS,
        );
        const seqs = [...first.deliveries, ...second.deliveries].map((d) => d.entry.seq);
        const pending = await store.messages.pending(APP, 'bob', 0, 10);

        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
        );
        assert.equal(new Set(seqs).size, 3);
        assert.deepEqual(
          pending.map((e) => (e.kind === 'message' ? e.body : e.kind)),
          ['one', 'two'],
        );
        const retried = second.results[1]!;
        assert.ok(retried.ok && retried.kind === 'send' && retried.duplicate);
        assert.equal(retried.msgId, (first.results[0] as { msgId: string }).msgId);
        assert.equal(await store.messages.countMessages(APP), 2);
      });
    });

    it('refuses a send to a full inbox and takes it again once an entry is removed', async () => {
      await withStore(async (store) => {
        const limits = { inboxQuota: 2 };
        const results = [];
        for (let i = 0; i < 3; i++)
          results.push((await store.messages.commit([send('alice', ['bob'])], limits)).results[0]!);
        const [entry] = await store.messages.pending(APP, 'bob', 0, 1);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'bob', ids: [entry!.id] }], limits);
        const after = (await store.messages.commit([send('alice', ['bob'])], limits)).results[0]!;

        assert.deepEqual(
          results.map((r) => r.ok),
          [true, true, false],
        );
        assert.ok(!results[2]!.ok && /inbox of "bob" is full/.test(results[2]!.description));
        assert.ok(after.ok);
        assert.equal(await store.messages.pendingCount(APP, 'bob'), 2);
      });
    });

    it('counts undelivered bytes per sender and app, refuses beyond the quota and frees on removal', async () => {
      await withStore(async (store) => {
        const body = 'x'.repeat(100);
        const limits = { inboxQuota: 1000, senderBytes: 3 * messageEntryBytes(body) };
        const ops: MessagingOp[] = [send('alice', ['bob', 'carol'], body), send('alice', ['dan', 'erin'], body)];
        const results = (await store.messages.commit(ops, limits)).results;
        const stored = await store.messages.storedBytes(APP, 'alice');
        const bobs = await store.messages.pending(APP, 'bob', 0, 10);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'bob', ids: bobs.map((e) => e.id) }], limits);

        assert.deepEqual(
          results.map((r) => r.ok),
          [true, false],
        );
        assert.equal(stored, 2 * messageEntryBytes(body));
        assert.equal(await store.messages.storedBytes(APP, 'alice'), messageEntryBytes(body));
        assert.equal(await store.messages.storedBytes(APP), messageEntryBytes(body));
        assert.deepEqual(await store.messages.appsWithStoredMessages(), [APP]);
      });
    });

    it('forwards a receipt only when it moves forward: Delivered, Read, then neither again', async () => {
      await withStore(async (store) => {
        const message = send('alice', ['bob']);
        await store.messages.commit([message], LIMITS);
        const receipt = (state: 'Delivered' | 'Read'): MessagingOp => ({
          kind: 'receipt',
          appId: APP,
          from: 'bob',
          to: ['alice'],
          msgId: message.msgId,
          state,
          createdAt: Date.now(),
        });
        const first = await store.messages.commit([receipt('Delivered'), receipt('Read')], LIMITS);
        const later = await store.messages.commit([receipt('Delivered'), receipt('Read')], LIMITS);
        const stranger = await store.messages.commit([{ ...receipt('Read'), from: 'mallory' } as MessagingOp], LIMITS);

        assert.deepEqual(
          first.results.map((r) => r.ok && r.kind === 'receipt' && r.forwarded),
          [true, true],
        );
        assert.deepEqual(
          later.results.map((r) => r.ok && r.kind === 'receipt' && r.forwarded),
          [false, false],
        );
        assert.equal(stranger.results[0]!.ok, false);
        const states = (await store.messages.pending(APP, 'alice', 0, 10)).map((e) => e.kind === 'receipt' && e.state);
        assert.deepEqual(states, ['Delivered', 'Read']);
      });
    });

    it('expires entries older than the cut, oldest first within the limit, and frees their quota', async () => {
      await withStore(async (store) => {
        const old = Date.now() - 60_000;
        await store.messages.commit(
          [send('alice', ['bob'], 'a', { createdAt: old }), send('alice', ['bob'], 'b', { createdAt: old + 1 })],
          LIMITS,
        );
        await store.messages.commit([send('alice', ['bob'], 'fresh')], LIMITS);
        const first = await store.messages.expire(APP, Date.now() - 30_000, 1);
        const rest = await store.messages.expire(APP, Date.now() - 30_000, 10);
        const left = await store.messages.pending(APP, 'bob', 0, 10);

        assert.equal(first, 1);
        assert.equal(rest, 1);
        assert.deepEqual(
          left.map((e) => e.kind === 'message' && e.body),
          ['fresh'],
        );
        assert.equal(await store.messages.storedBytes(APP, 'alice'), messageEntryBytes('fresh'));
        assert.equal(
          (await store.messages.usage(APP)).reduce((n, d) => n + d.sent, 0),
          3,
        );
      });
    });

    it('keeps a taken entry for readers open before the taking, out of the counts, and forgets it after its time', async () => {
      await withStore(async (store) => {
        const openedBefore = Date.now();
        await store.messages.commit([send('alice', ['bob'], 'taken'), send('alice', ['bob'], 'waiting')], LIMITS);
        const [taken] = await store.messages.pending(APP, 'bob', 0, 1);
        const remove = { kind: 'remove', appId: APP, uid: 'bob', ids: [taken!.id] } as const;
        await store.messages.commit([remove], LIMITS);
        // A second receipt of the same entry (another tab, a retry) frees nothing twice.
        await store.messages.commit([remove], LIMITS);
        const openedAfter = Date.now() + 1;
        const bodies = async (since?: number) =>
          (await store.messages.pending(APP, 'bob', 0, 10, since)).map((e) => e.kind === 'message' && e.body);

        assert.deepEqual(await bodies(openedBefore), ['taken', 'waiting']);
        assert.deepEqual(await bodies(openedAfter), ['waiting']);
        assert.deepEqual(await bodies(), ['waiting']);
        assert.equal(await store.messages.pendingCount(APP, 'bob'), 1);
        assert.equal(await store.messages.storedBytes(APP, 'alice'), messageEntryBytes('waiting'));
        // Neither expiry nor the sweep of taken entries touches what is pending, and the sweep ends the taken one.
        assert.equal(await store.messages.forgetReceived(openedBefore - 1, 10), 0);
        assert.equal(await store.messages.forgetReceived(openedAfter + 1, 10), 1);
        assert.equal(await store.messages.expire(APP, openedBefore - 1, 10), 0);
        assert.deepEqual(await bodies(openedBefore), ['waiting']);
        assert.equal(await store.messages.pendingCount(APP, 'bob'), 1);
      });
    });

    it('commits a batch of 1,000 sends whole: every message, inbox entry, history row and byte counted', async () => {
      await withStore(async (store) => {
        const body = 'many';
        // On PostgreSQL its writes go as several combined statements (write-group.ts): more than one holds.
        const ops = Array.from({ length: 1000 }, (_, i) =>
          send(`s${i % 50}`, [`r${i % 7}`, `r${(i + 1) % 7}`, 'all'], body),
        );
        const { results } = await store.messages.commit(ops, { inboxQuota: 10_000 });
        const page = await store.history.page(APP, peopleKey('s0', ['r0', 'r1', 'all']), 's0', 100);

        assert.ok(results.every((r) => r.ok));
        assert.equal(await store.messages.countMessages(APP), 1000);
        assert.equal(await store.messages.pendingCount(APP, 'all'), 1000);
        assert.equal(
          (await Promise.all([0, 1, 2, 3, 4, 5, 6].map((r) => store.messages.pendingCount(APP, `r${r}`)))).reduce(
            (a, b) => a + b,
          ),
          2000,
        );
        assert.equal(await store.messages.storedBytes(APP), 3000 * messageEntryBytes(body));
        assert.equal(page.items.length, ops.filter((op) => op.sender === 's0' && op.to[0] === 'r0').length);
      });
    });
  });
}
