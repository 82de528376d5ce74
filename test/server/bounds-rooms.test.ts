/**
 * Reliability B4 against a real server: conferences per connection and per user are capped with
 * a clear error that changes nothing; conference usage is written in batches (not once per join
 * or leave), and the grace period after a disconnect from many rooms is one cheap timer.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { KyselyConferenceUsage } from '../../src/server/store/conference-usage.js';
import { Peer } from '../helpers/socket.js';
import { waitFor } from '../helpers/wait.js';
import { relaxedLimits, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';

const ORIGIN = 'http://localhost:1234';

async function open(server: TestServer, app: TestApp, uid: string): Promise<Peer> {
  return Peer.connect(server.url, app.token('web', 'production'), uid, { messaging: false, origin: ORIGIN });
}

function join(peer: Peer, uid: string, conf: string, instance = `inst-${uid}-0000`): Promise<any> {
  return peer.request({ t: 'conf.join', conf, uid, userData: '', instance });
}

/** Waits for a frame of a type that matches, among those a peer has received. */
async function frameOf(peer: Peer, match: (f: any) => boolean, what: string): Promise<any> {
  await waitFor(() => peer.frames.some(match), { what, timeoutMs: 10_000 });
  return peer.frames.find(match);
}

describe('conferences per connection and per user (B4)', () => {
  const GRACE = 500;
  let server: TestServer;
  let app: TestApp;
  const peers: Peer[] = [];

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      conference: { maxRoomsPerConnection: 3, maxRoomsPerUser: 4, graceMs: GRACE, usageFlushMs: 100 },
    });
    app = await server.createApp(['localhost']);
  });
  after(async () => {
    for (const p of peers) p.ws.terminate();
    await server.stop();
  });

  it('refuses a join past the cap of one connection with -60300, and the refused room is not made', async () => {
    const first = await open(server, app, 'capped');
    peers.push(first);
    for (const conf of ['r1', 'r2', 'r3']) assert.equal((await join(first, 'capped', conf)).t, 'ack');

    const refused = await join(first, 'capped', 'r4');
    assert.equal(refused.t, 'error');
    assert.equal(refused.error.code, -60300);
    assert.equal(refused.error.name, 'Invalid Business case');
    assert.match(refused.error.description, /one connection may be in at most 3/);

    const watcher = await open(server, app, 'watcher');
    peers.push(watcher);
    const watched = await join(watcher, 'watcher', 'r4');
    assert.deepEqual(watched.result.participants, [], 'the refused join left no participant in r4');
    // A room the connection is already in does not count again: the same instance rejoins.
    const again = await join(first, 'capped', 'r1');
    assert.equal(again.t, 'ack');
    assert.equal(again.result.resumed, true);
  });

  it('refuses a join past the cap of one user over its connections, until a place is freed', async () => {
    const first = peers[0]!;
    const second = await open(server, app, 'capped');
    peers.push(second);
    assert.equal((await join(second, 'capped', 'r5', 'inst-capped-0001')).t, 'ack');
    const refused = await join(second, 'capped', 'r6', 'inst-capped-0001');
    assert.equal(refused.error.code, -60300);
    assert.match(refused.error.description, /one user may be in at most 4/);

    assert.equal((await first.request({ t: 'conf.leave', conf: 'r1' })).t, 'ack');
    assert.equal((await join(second, 'capped', 'r6', 'inst-capped-0001')).t, 'ack');
  });

  it('keeps counting the rooms of a dropped connection during the grace period, and frees them after it', async () => {
    const [first, watcher, second] = [peers[0]!, peers[1]!, peers[2]!];
    assert.equal((await join(watcher, 'watcher', 'r2')).t, 'ack');
    first.ws.terminate();
    // r2 and r3 are held for the dropped connection: the user is still at 4 (r2, r3, r5, r6).
    await waitFor(() => server.context.connections.forUser(app.appId, 'capped').size === 1, {
      what: 'the first connection to close',
    });
    const held = await join(second, 'capped', 'r7', 'inst-capped-0001');
    assert.equal(held.error?.code, -60300, JSON.stringify(held));

    const left = await frameOf(
      watcher,
      (f) => f.t === 'conf.left' && f.conf === 'r2',
      'the dropped participant to leave r2',
    );
    assert.deepEqual(left, { t: 'conf.left', conf: 'r2', uid: 'capped', reason: 'timeout' });
    assert.equal((await join(second, 'capped', 'r7', 'inst-capped-0001')).t, 'ack');
  });
});

describe('conference usage in batches and grace expiry of many rooms (B4)', () => {
  const ROOMS = 1500;
  const FLUSH = 200;
  let server: TestServer;
  let app: TestApp;

  before(async () => {
    server = await startTestServer({
      ...relaxedLimits,
      sockets: { frameRate: { burst: 100_000, perSecond: 100_000 } },
      conference: { maxRoomsPerConnection: ROOMS, maxRoomsPerUser: ROOMS, graceMs: 300, usageFlushMs: FLUSH },
    });
    app = await server.createApp(['localhost']);
  });
  after(() => server.stop());

  it(`records ${ROOMS} joins and their expiry (one grace timer for the connection) in a few writes`, async (t) => {
    // Count the store's writes (the store itself is real; it makes a usage object per use, so count on the class).
    const usage = server.store.conferenceUsage;
    const add = Object.getOwnPropertyDescriptor(KyselyConferenceUsage.prototype, 'add')!
      .value as KyselyConferenceUsage['add'];
    let writes = 0;
    KyselyConferenceUsage.prototype.add = function (this: KyselyConferenceUsage, ...args: Parameters<typeof add>) {
      writes++;
      return add.apply(this, args);
    };
    t.after(() => {
      KyselyConferenceUsage.prototype.add = add;
    });

    const peer = await open(server, app, 'many');
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < ROOMS) {
          const answer = await join(peer, 'many', `room-${next++}`);
          assert.equal(answer.t, 'ack', JSON.stringify(answer));
        }
      }),
    );
    const joinMs = performance.now() - started;

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    peer.ws.terminate();
    // After the grace period every room is dropped and its time counted: conferences, peak and time all written.
    const complete = (days: Awaited<ReturnType<typeof usage.list>>) =>
      days.length === 1 &&
      days[0]!.conferences === ROOMS &&
      days[0]!.peakParticipants === 1 &&
      days[0]!.participantMinutes > 0;
    let lastMinutes = -1;
    // participantMinutes grows until the last drop is flushed: wait until it is complete and stable over a flush.
    const days = await waitFor(
      () => usage.list(app.appId),
      (read) => {
        const stable = complete(read) && read[0]!.participantMinutes === lastMinutes;
        lastMinutes = complete(read) ? read[0]!.participantMinutes : -1;
        return stable;
      },
      { what: 'the usage to be complete and stable over a flush', timeoutMs: 15_000, intervalMs: FLUSH * 2 },
    );
    delay.disable();

    // One write per app and day per flush, where one per join and leave would be 4,500.
    const flushesAtMost = Math.ceil((performance.now() - started) / FLUSH) + 2;
    assert.ok(writes <= flushesAtMost, `${writes} writes for ${ROOMS} rooms (at most ${flushesAtMost} flushes)`);
    // Every participant's time, about the join duration each (1,500 participants of a few hundred ms at least).
    assert.ok(days[0]!.participantMinutes * 60_000 >= ROOMS * 300, JSON.stringify(days));
    t.diagnostic(
      `${ROOMS} joins in ${Math.round(joinMs)} ms; ${writes} usage writes; event-loop delay during expiry max ${Math.round(delay.max / 1e6)} ms, p99 ${Math.round(delay.percentile(99) / 1e6)} ms`,
    );
  });
});
