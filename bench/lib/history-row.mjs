// bench:messaging's history row: pages of 50 from one conversation of 100,000 messages, read
// through the server (`msg.history` over the socket, one request at a time, every page from the
// newest to the oldest), beside the same page read straight from the SQLite file in this process
// (the page query's own cost: the floor any server over that file could reach).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { peopleKey } from '../../src/server/store/history-store.ts';
import { newMessageId } from '../../src/server/messaging/message-id.ts';
import { median, summary } from './stats.mjs';
import { login, openSocket } from './ws-client.mjs';

const PAGE = 50;

/** Writes `count` messages of alice ↔ bob into the history table, oldest first, one a millisecond. */
function seedConversation(file, appId, count) {
  const db = new SQLite(file);
  db.pragma('busy_timeout = 10000');
  const conv = peopleKey('alice', ['bob']);
  const insert = db.prepare(
    `INSERT INTO message_history (app_id, conv, msg_id, sender, recipients, body, created_at, seq, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const start = Date.now() - count;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const [from, to] = i % 2 ? ['bob', 'alice'] : ['alice', 'bob'];
      const at = start + i;
      insert.run(
        appId,
        conv,
        newMessageId(at),
        from,
        JSON.stringify([to]),
        `message ${i} ${randomBytes(12).toString('hex')}`,
        at,
        i,
      );
    }
  })();
  db.close();
  return conv;
}

/** The page query as the store runs it (history-store.ts), prepared once on the file. */
function directReader(file, appId, conv) {
  const db = new SQLite(file, { readonly: true });
  const first = db.prepare(
    `SELECT msg_id, sender, body, created_at, seq, deleted_at FROM message_history
     WHERE app_id = ? AND conv = ? ORDER BY created_at DESC, seq DESC, msg_id DESC LIMIT ?`,
  );
  const older = db.prepare(
    `SELECT msg_id, sender, body, created_at, seq, deleted_at FROM message_history
     WHERE app_id = ? AND conv = ? AND (created_at, seq, msg_id) < (?, ?, ?)
     ORDER BY created_at DESC, seq DESC, msg_id DESC LIMIT ?`,
  );
  return {
    page(before) {
      if (!before) return first.all(appId, conv, PAGE + 1);
      const { created_at: c, seq: s, msg_id: m } = before;
      return older.all(appId, conv, c, s, m, PAGE + 1);
    },
    close: () => db.close(),
  };
}

/** One `msg.history` at a time over an open socket. */
function historyClient(ws) {
  let n = 0;
  const waiting = new Map();
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data));
    const done = waiting.get(frame.id);
    if (!done) return;
    waiting.delete(frame.id);
    if (frame.t === 'ack') done.resolve(frame.result);
    else done.reject(new Error(`history refused: ${JSON.stringify(frame.error)}`));
  });
  return (before) =>
    new Promise((resolve, reject) => {
      const id = `h${++n}`;
      waiting.set(id, { resolve, reject });
      ws.send(JSON.stringify({ t: 'msg.history', id, with: 'bob', limit: PAGE, ...(before ? { before } : {}) }));
    });
}

/**
 * Runs the row against a started bench server over `dataDir` (SQLite). Returns the row's figures;
 * throws if a walk skips, repeats or misorders a message.
 */
export async function historyRow(server, dataDir, { messages }) {
  const file = join(dataDir, 'oovoo.sqlite');
  const seedStart = performance.now();
  const conv = seedConversation(file, server.appId, messages);
  const seedMs = Math.round(performance.now() - seedStart);

  const token = await login(server.url, server.token, 'alice');
  const ws = await openSocket(server.url, 'alice', token, { messaging: true });
  const request = historyClient(ws);
  const serverMs = [];
  let seen = 0;
  let cursor;
  let lastTs = Infinity;
  try {
    for (;;) {
      const t0 = performance.now();
      const page = await request(cursor);
      serverMs.push(performance.now() - t0);
      for (const item of page.items) {
        if (item.ts > lastTs) throw new Error('history walk out of order');
        lastTs = item.ts;
      }
      seen += page.items.length;
      if (!page.next) break;
      cursor = page.next;
    }
  } finally {
    ws.close();
  }
  if (seen !== messages) throw new Error(`history walk saw ${seen} of ${messages} messages`);

  const direct = directReader(file, server.appId, conv);
  const directMs = [];
  try {
    let before;
    for (;;) {
      const t0 = performance.now();
      const rows = direct.page(before);
      directMs.push(performance.now() - t0);
      if (rows.length <= PAGE) break;
      before = rows[PAGE - 1];
    }
  } finally {
    direct.close();
  }
  const server50 = summary(serverMs);
  const direct50 = summary(directMs);
  const directMedian = median(directMs);
  return {
    conversationMessages: messages,
    pageSize: PAGE,
    pages: serverMs.length,
    seedMs,
    throughServerMs: server50,
    straightFromSqliteMs: direct50,
    serverOverDirectP50: directMedian > 0 ? Math.round((median(serverMs) / directMedian) * 10) / 10 : null,
    peer: 'the same page query prepared once on the same SQLite file in the bench process (better-sqlite3)',
  };
}
