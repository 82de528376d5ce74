import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conferenceKey, peopleKey, type HistoryCursor } from '../../src/server/store/history-store.js';
import { messageEntryBytes } from '../../src/server/store/inbox-storage.js';
import type { CommitLimits, MessagingOp, SendOp } from '../../src/server/store/messaging-types.js';
import type { Store } from '../../src/server/store/types.js';
import { STORE_ENGINES } from '../helpers/store-engines.js';

/** Conversation history in the store (written with the send, paged, kept per app, deleted for everyone), on each engine. */

const APP = 'app-h';
const LIMITS: CommitLimits = { inboxQuota: 1000 };
const DAY = 24 * 3600_000;
let ids = 0;

function send(sender: string, to: string[], body: string, extra: Partial<SendOp> = {}): SendOp {
  return { kind: 'send', appId: APP, sender, msgId: `h${++ids}`, to, body, createdAt: Date.now(), ...extra };
}

function read(from: string, message: SendOp): MessagingOp {
  return { kind: 'receipt', appId: APP, from, to: [message.sender], msgId: message.msgId, state: 'Read', createdAt: 1 };
}

async function createApp(store: Store, id: string, historyDays?: number): Promise<void> {
  await store.apps.create({
    id,
    name: id,
    domains: ['localhost'],
    blocked: false,
    clientLogin: 'all',
    createdAt: Date.now(),
    ...(historyDays === undefined ? {} : { historyDays }),
  });
}

for (const engine of STORE_ENGINES) {
  describe(`message history store (${engine.name})`, () => {
    async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
      const store = await (await engine.place()).open();
      try {
        await run(store);
      } finally {
        await store.close();
      }
    }

    it('keeps each conversation apart from the inbox and pages it newest first by cursor, with receipts', async () => {
      await withStore(async (store) => {
        const t = Date.now() - 10_000;
        const sends = [
          send('alice', ['bob'], 'one', { createdAt: t }),
          send('bob', ['alice'], 'two', { createdAt: t + 1 }),
          send('alice', ['bob'], 'three', { createdAt: t + 2 }),
          send('alice', ['bob', 'carol'], 'to the group', { createdAt: t + 3 }),
        ];
        await store.messages.commit(sends, LIMITS);
        await store.messages.commit([read('bob', sends[2]!)], LIMITS);
        // Bob takes his inbox: the history stays.
        const taken = await store.messages.pending(APP, 'bob', 0, 10);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'bob', ids: taken.map((e) => e.id) }], LIMITS);
        const conv = peopleKey('bob', ['alice']);
        const first = await store.history.page(APP, conv, 'alice', 2);
        const last = first.items.at(-1)!;
        const cursor: HistoryCursor = { createdAt: last.createdAt, seq: last.seq, msgId: last.msgId };
        const second = await store.history.page(APP, conv, 'alice', 2, cursor);
        const asBob = await store.history.page(APP, conv, 'bob', 10);
        const group = await store.history.page(APP, peopleKey('carol', ['alice', 'bob']), 'carol', 10);

        assert.equal(conv, peopleKey('alice', ['bob']));
        assert.deepEqual(
          first.items.map((i) => i.body),
          ['three', 'two'],
        );
        assert.equal(first.more, true);
        assert.deepEqual(
          second.items.map((i) => i.body),
          ['one'],
        );
        assert.equal(second.more, false);
        assert.deepEqual(first.items[0]!.receipts, { bob: 'Read' });
        assert.deepEqual(first.items[1]!.receipts, {});
        // Bob sees his own receipt on the message he read, and nothing on his own unread one.
        assert.deepEqual(
          asBob.items.map((i) => [i.from, i.receipts]),
          [
            ['alice', { bob: 'Read' }],
            ['bob', {}],
            ['alice', {}],
          ],
        );
        assert.deepEqual(
          group.items.map((i) => [i.from, i.body]),
          [['alice', 'to the group']],
        );
        assert.equal(await store.messages.pendingCount(APP, 'bob'), 0);
      });
    });

    it('orders messages of one millisecond as they were committed', async () => {
      await withStore(async (store) => {
        const at = Date.now();
        const bodies = ['a', 'b', 'c', 'd', 'e', 'f'];
        await store.messages.commit(
          bodies.slice(0, 3).map((b) => send('alice', ['bob'], b, { createdAt: at, msgId: `z-${b}` })),
          LIMITS,
        );
        // Ids that sort the other way round: the order is the commits', not the ids'.
        for (const b of bodies.slice(3))
          await store.messages.commit([send('bob', ['alice'], b, { createdAt: at, msgId: `a-${b}` })], LIMITS);
        const conv = peopleKey('alice', ['bob']);
        const first = await store.history.page(APP, conv, 'bob', 4);
        const last = first.items.at(-1)!;
        const rest = await store.history.page(APP, conv, 'bob', 4, {
          createdAt: last.createdAt,
          seq: last.seq,
          msgId: last.msgId,
        });

        assert.deepEqual(
          [...first.items, ...rest.items].map((i) => i.body),
          ['f', 'e', 'd', 'c', 'b', 'a'],
        );
        assert.equal(rest.more, false);
      });
    });

    it('keeps receipts as long as the history holds their message, past the dedupe sweep', async () => {
      await withStore(async (store) => {
        const message = send('alice', ['bob'], 'kept');
        await store.messages.commit([message], LIMITS);
        await store.messages.commit([read('bob', message)], LIMITS);
        const ids = (await store.messages.pending(APP, 'bob', 0, 10)).map((e) => e.id);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'bob', ids }], LIMITS);
        const alices = (await store.messages.pending(APP, 'alice', 0, 10)).map((e) => e.id);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'alice', ids: alices }], LIMITS);
        const swept = await store.messages.sweep(Date.now() + 1000);
        const page = await store.history.page(APP, peopleKey('alice', ['bob']), 'alice', 10);

        assert.equal(swept, 1);
        assert.equal(await store.messages.getMessage(APP, message.msgId), undefined);
        assert.deepEqual(page.items[0]!.receipts, { bob: 'Read' });
      });
    });

    it('writes no history for an app that keeps 0 days, and expires old rows in bounded batches', async () => {
      await withStore(async (store) => {
        await createApp(store, 'app-none', 0);
        await createApp(store, 'app-week', 7);
        const none = send('alice', ['bob'], 'not kept', { appId: 'app-none' });
        const old = Date.now() - 8 * DAY;
        const olds = [1, 2, 3].map((i) =>
          send('alice', ['bob'], `old ${i}`, { appId: 'app-week', createdAt: old + i }),
        );
        const fresh = send('alice', ['bob'], 'fresh', { appId: 'app-week' });
        const results = (await store.messages.commit([none, ...olds, fresh], LIMITS)).results;
        const conv = peopleKey('alice', ['bob']);
        const first = await store.history.expire('app-week', Date.now() - 7 * DAY, 2);
        const rest = await store.history.expire('app-week', Date.now() - 7 * DAY, 2);
        const left = await store.history.page('app-week', conv, 'bob', 10);

        assert.ok(results.every((r) => r.ok));
        assert.deepEqual((await store.history.page('app-none', conv, 'bob', 10)).items, []);
        assert.equal(await store.messages.pendingCount('app-none', 'bob'), 1, 'the inbox is not the history');
        assert.equal(first, 2);
        assert.equal(rest, 1);
        assert.deepEqual(
          left.items.map((i) => i.body),
          ['fresh'],
        );
        assert.deepEqual((await store.history.appsWithHistory()).sort(), ['app-week']);
        assert.equal((await store.apps.get('app-week'))!.historyDays, 7);
        assert.equal((await store.apps.update('app-week', { historyDays: 0 }))!.historyDays, 0);
      });
    });

    it('deletes for everyone: empties the row, takes back pending entries and their quota, tells the others once', async () => {
      await withStore(async (store) => {
        const message = send('alice', ['bob', 'carol'], 'oops');
        await store.messages.commit([message, send('alice', ['carol'], 'other')], LIMITS);
        const bobs = (await store.messages.pending(APP, 'bob', 0, 10)).map((e) => e.id);
        await store.messages.commit([{ kind: 'remove', appId: APP, uid: 'bob', ids: bobs }], LIMITS);
        const op: MessagingOp = {
          kind: 'delete',
          appId: APP,
          sender: 'alice',
          msgId: message.msgId,
          to: ['bob', 'carol'],
          createdAt: Date.now(),
        };
        const deleted = await store.messages.commit([op], LIMITS);
        const again = await store.messages.commit([op], LIMITS);
        const page = await store.history.page(APP, peopleKey('alice', ['bob', 'carol']), 'carol', 10);
        const carols = await store.messages.pending(APP, 'carol', 0, 10);
        const bobsNow = await store.messages.pending(APP, 'bob', 0, 10);

        assert.ok(deleted.results[0]!.ok);
        assert.deepEqual(
          deleted.deliveries.map((d) => [d.uid, d.entry.kind]),
          [
            ['bob', 'deleted'],
            ['carol', 'deleted'],
          ],
        );
        assert.ok(again.results[0]!.ok);
        assert.equal(again.deliveries.length, 0, 'a retried delete tells nobody again');
        assert.deepEqual(
          page.items.map((i) => [i.body, i.deleted]),
          [['', true]],
        );
        assert.deepEqual(
          carols.map((e) => [e.kind, e.msgId]),
          [
            ['message', (await store.history.page(APP, peopleKey('alice', ['carol']), 'carol', 1)).items[0]!.msgId],
            ['deleted', message.msgId],
          ],
        );
        assert.deepEqual(
          bobsNow.map((e) => [e.kind, e.from]),
          [['deleted', 'alice']],
        );
        assert.equal(await store.messages.storedBytes(APP, 'alice'), messageEntryBytes('other'));
        assert.equal((await store.history.find(APP, message.msgId))!.deletedAt !== null, true);
      });
    });

    it("keeps a call's chat under the conference, once per id, and not for an app that keeps none", async () => {
      await withStore(async (store) => {
        await createApp(store, 'app-none', 0);
        const kept = await store.history.keepConferenceChat(APP, 'room-1', 'c1', 'alice', 'hi all');
        await store.history.keepConferenceChat(APP, 'room-1', 'c1', 'alice', 'hi all');
        await store.history.keepConferenceChat(APP, 'room-1', 'c2', 'bob', 'hello');
        await store.history.keepConferenceChat(APP, 'room-2', 'c3', 'carol', 'elsewhere');
        const refused = await store.history.keepConferenceChat('app-none', 'room-1', 'c4', 'alice', 'gone');
        const page = await store.history.page(APP, conferenceKey('room-1'), 'dan', 10);

        assert.equal(kept, true);
        assert.equal(refused, false);
        assert.deepEqual(page.items.map((i) => [i.from, i.body]).sort(), [
          ['alice', 'hi all'],
          ['bob', 'hello'],
        ]);
        assert.equal(await store.history.find(APP, 'c1'), undefined, "a call's chat is not deletable");
        assert.deepEqual((await store.history.page('app-none', conferenceKey('room-1'), 'dan', 10)).items, []);
      });
    });
  });
}
