import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/server/cli.js';
import { peopleKey } from '../../src/server/store/history-store.js';
import { CapturingMailer, verifiedDeveloper } from '../helpers/portal.js';
import { relaxedLimits, startTestServer } from '../helpers/server.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';

/** Each app's history retention: the CLI, the portal API, and the periodic sweep that applies it. */
describe('history retention settings', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('oovoo-server app history sets and shows the days; bad values are usage errors', async () => {
    const data = mkdtempSync(join(tmpdir(), 'oovoo-history-cli-'));
    dirs.push(data);
    const out: string[] = [];
    const err: string[] = [];
    const cli = (...argv: string[]) =>
      main(
        [...argv, '--data', data],
        (t) => out.push(t),
        (t) => err.push(t),
      );
    assert.equal(await cli('app', 'create', '--name', 'Chat', '--domain', 'localhost', '--json'), 0);
    const appId = JSON.parse(out.pop()!).appId as string;

    assert.equal(await cli('app', 'history', '--app', appId, '--days', '90', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!).historyDays, 90);
    assert.equal(await cli('app', 'list', '--json'), 0);
    assert.equal(JSON.parse(out.pop()!)[0].historyDays, 90);
    assert.equal(await cli('app', 'history', '--app', appId, '--days', '0'), 0);
    assert.match(out.pop()!, /keeps no conversation history/);

    for (const days of ['-1', '3651', '1.5', 'forever']) {
      assert.equal(await cli('app', 'history', '--app', appId, `--days=${days}`), 2, days);
      assert.match(err.pop()!, /--days must be an integer from 0 to 3650/);
    }
    assert.equal(await cli('app', 'history', '--app', appId), 2);
    assert.match(err.pop()!, /--days is required/);
    assert.equal(await cli('app', 'history', '--app', 'NOSUCHAPP', '--days', '3'), 1);
    assert.match(err.pop()!, /-50001/);
  });

  it('the portal API shows and sets the days, refusing bad values', async () => {
    const mailer = new CapturingMailer();
    const server = await startTestServer({ ...relaxedLimits, portal: { mailer } });
    try {
      const dev = await verifiedDeveloper(server.url, mailer, 'history@example.com');
      const created = await dev.request('POST', '/apps', { name: 'Chat' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const appId = created.body.app.id as string;
      assert.equal(created.body.app.historyDays, 30);

      const set = await dev.request('PATCH', `/apps/${appId}`, { historyDays: 0 });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.app.historyDays, 0);
      assert.equal((await server.store.apps.get(appId))?.historyDays, 0);
      for (const bad of [-1, 3651, 2.5, '5', null]) {
        const refused = await dev.request('PATCH', `/apps/${appId}`, { historyDays: bad });
        assert.equal(refused.status, 400, String(bad));
        assert.equal(refused.body.error.code, -40000);
      }
      assert.equal((await server.store.apps.get(appId))?.historyDays, 0);
    } finally {
      await server.stop();
    }
  });

  it("the periodic sweep empties an app's history once it is set to keep none", async () => {
    const server = await startTestServer({
      ...relaxedLimits,
      messaging: { storage: { sweepIntervalMs: 100, sweepBatchSize: 2 } },
    });
    try {
      const app = await server.createApp(['localhost']);
      const alice = await Peer.connect(server.url, app.token('web', 'production'), 'alice');
      try {
        for (let i = 0; i < 5; i++) {
          const answer = await alice.request({ t: 'msg.send', to: ['bob'], body: `m${i}` });
          assert.equal(answer.t, 'ack');
        }
        const page = () => server.store.history.page(app.appId, peopleKey('alice', ['bob']), 'bob', 10);
        assert.equal((await page()).items.length, 5);
        await server.apps.setHistoryDays(app.appId, 0);
        await waitFor(
          async () => (await page()).items.length,
          (n) => n === 0,
          { what: 'the sweep to empty the history' },
        );
        // The inbox is not the history: bob still gets his messages.
        assert.equal(await server.store.messages.pendingCount(app.appId, 'bob'), 5);
      } finally {
        await alice.close();
      }
    } finally {
      await server.stop();
    }
  });
});
