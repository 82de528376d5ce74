import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NodeQuestionError, NodeQuestions } from '../../src/server/cluster/node-questions.js';
import { RedisBus } from '../../src/server/cluster/redis-bus.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';

const logError = (e: unknown) => console.error(e);
const reason = (why: NodeQuestionError['reason']) => (e: unknown) => e instanceof NodeQuestionError && e.reason === why;

/**
 * Questions between nodes (cluster/node-questions.ts) over a real Redis bus: an answer comes back
 * from the answering node's own state; no answer in time, a node off the bus, too many waiting, or a
 * question the node has no answer for each end the question with their reason.
 */
describe('questions between nodes (Redis bus)', () => {
  let redis: TestRedis;
  const buses: RedisBus[] = [];
  const asked: NodeQuestions[] = [];

  before(async () => {
    redis = await startRedis();
  });

  after(async () => {
    for (const q of asked) q.close();
    await Promise.all(buses.map((b) => b.close()));
    await redis?.stop();
  });

  async function node(options?: ConstructorParameters<typeof NodeQuestions>[2]) {
    const bus = await RedisBus.open(redis.url, logError);
    buses.push(bus);
    const questions = new NodeQuestions(bus, logError, options);
    asked.push(questions);
    return questions;
  }

  it("answers from the answering node's state as it is now", async () => {
    const [asker, owner] = [await node(), await node()];
    const members = new Set(['app\u0000call\u0000alice']);
    owner.answer('conf.member', (q) => members.has(`${q.appId}\u0000${q.conf}\u0000${q.uid}`));
    assert.equal(await asker.ask(owner.node, 'conf.member', { appId: 'app', conf: 'call', uid: 'alice' }), true);
    assert.equal(await asker.ask(owner.node, 'conf.member', { appId: 'app', conf: 'call', uid: 'bob' }), false);
    members.add('app\u0000call\u0000bob');
    assert.equal(await asker.ask(owner.node, 'conf.member', { appId: 'app', conf: 'call', uid: 'bob' }), true);
    // A node with no answer for the kind (the asker itself here) says so at once, rather than time out.
    await assert.rejects(
      asker.ask(asker.node, 'conf.member', { appId: 'app', conf: 'call', uid: 'bob' }),
      reason('refused'),
    );
  });

  it('ends a question without an answer: a node off the bus, a silent node, and past the bound at once', async () => {
    const asker = await node({ timeoutMs: 800, maxInFlight: 2 });
    const q = { appId: 'app', conf: 'call', uid: 'alice' };
    await assert.rejects(asker.ask('no-such-node', 'conf.member', q), reason('unreachable'));

    // A bare bus listens on its node's topic and never answers.
    const bare = await RedisBus.open(redis.url, logError);
    buses.push(bare);
    const started = Date.now();
    const waiting = [asker.ask(bare.node, 'conf.member', q), asker.ask(bare.node, 'conf.member', q)];
    await assert.rejects(asker.ask(bare.node, 'conf.member', q), reason('busy'));
    assert.ok(Date.now() - started < 700, 'the third fails at once');
    for (const w of waiting) await assert.rejects(w, reason('timeout'));
    assert.ok(Date.now() - started >= 700, 'the first two waited their deadline');
    // Once they ended, there is room again.
    await assert.rejects(asker.ask('no-such-node', 'conf.member', q), reason('unreachable'));
  });
});
