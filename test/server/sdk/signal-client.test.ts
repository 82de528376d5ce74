import assert from 'node:assert/strict';
import { afterEach, describe, it, mock } from 'node:test';
import { ErrorCode, errorInfo } from '../../../src/protocol/index.js';
import { OoVooError } from '../../../src/sdk/errors.js';
import { waitFor } from '../../helpers/wait.js';
import { fakeClient, welcomeFrame } from './fake-socket.js';

const clients: Array<{ close(): void }> = [];
function make(opts?: Parameters<typeof fakeClient>[0]) {
  const made = fakeClient(opts);
  clients.push(made.client);
  return made;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

/** Settles a promise into a value or the OoVooError code it rejected with. */
const outcome = (p: Promise<unknown>): Promise<{ value?: unknown; code?: number | string }> =>
  p.then(
    (v) => ({ value: v }),
    (e: unknown) => ({ code: e instanceof OoVooError ? e.code : String(e) }),
  );

describe('SignalClient: the state table', () => {
  it('goes idle → connecting → connected → reconnecting → connected → closed, and only once opened', async () => {
    const { client, connect, reconnect } = make();
    const states: string[] = [];
    const welcomes: boolean[] = [];
    client.events.on('state', (s) => states.push(s));
    client.events.on('welcome', (_w, resumed) => welcomes.push(resumed));

    await connect();
    await reconnect();
    await waitFor(() => client.state === 'connected', { what: 'connected again', intervalMs: 0 });
    client.close();

    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected', 'closed']);
    assert.deepEqual(welcomes, [false, true]);
    assert.equal((await outcome(client.open())).code, ErrorCode.BadRequest);
  });

  it('a refusal before the first welcome is final and carries the reason the server gives', async () => {
    const { client, socket } = make({ refusal: errorInfo(ErrorCode.InvalidToken) });
    const failed: number[] = [];
    client.events.on('failed', (e) => failed.push(e.code));

    const opened = outcome(client.open());
    (await socket(1)).drop(1006);

    assert.deepEqual(await opened, { code: ErrorCode.InvalidToken });
    assert.equal(client.state, 'closed');
    assert.deepEqual(failed, [ErrorCode.InvalidToken]);
  });

  it('a session the server ended (4001) is final: no reconnect', async () => {
    const { client, connect, sockets } = make();
    await connect();

    sockets[0]!.drop(4001);

    await waitFor(() => client.state === 'closed', { what: 'closed', intervalMs: 0 });
    assert.equal(sockets.length, 1);
  });

  it('stops when the reconnect policy gives up', async () => {
    const { client, connect, sockets } = make({ policy: { nextDelay: () => null } });
    const failed: number[] = [];
    client.events.on('failed', (e) => failed.push(e.code));
    await connect();

    sockets[0]!.drop(1006);

    await waitFor(() => client.state === 'closed', { what: 'closed', intervalMs: 0 });
    assert.deepEqual(failed, [ErrorCode.UnspecifiedError]);
    assert.equal(sockets.length, 1);
  });
});

describe('SignalClient: the one request path', () => {
  it('an ack resolves its request and an error rejects its own; neither reaches the frame stream', async () => {
    const { client, connect } = make();
    const frames: string[] = [];
    client.events.on('frame', (f) => frames.push(f.t));
    const socket = await connect();

    const ok = outcome(client.request({ t: 'conf.data', data: 'x' }));
    const refused = outcome(client.request({ t: 'conf.data', data: 'y' }));
    const [a, b] = socket.requests('conf.data');
    socket.receive({ t: 'error', id: b!.id, error: errorInfo(ErrorCode.NotAuthorized) });
    socket.receive({ t: 'ack', id: a!.id, result: { fine: true } });
    socket.receive({ t: 'ack', id: 'not-ours', result: {} });
    socket.receive({ t: 'conf.data', conf: 'c', from: 'bob', data: 'z' });

    assert.deepEqual(await ok, { value: { fine: true } });
    assert.deepEqual(await refused, { code: ErrorCode.NotAuthorized });
    assert.notEqual(a!.id, b!.id);
    assert.deepEqual(frames, ['conf.data']);
  });

  it('a plain request fails when the connection drops, and at once while it is away', async () => {
    const { client, connect, sockets } = make({ policy: { nextDelay: () => 60_000 } });
    await connect();
    const inFlight = outcome(client.request({ t: 'conf.data' }));

    sockets[0]!.drop();
    const whileAway = outcome(client.request({ t: 'conf.data' }));

    assert.equal((await inFlight).code, ErrorCode.UnspecifiedError);
    assert.equal((await whileAway).code, ErrorCode.UnspecifiedError);
    assert.equal(client.state, 'reconnecting');
  });

  it('a durable request cut by a drop goes again after the reconnect with the same id, once, before newer ones', async () => {
    const { client, connect, reconnect } = make();
    const first = await connect();
    const cut = client.request<{ n: number }>({ t: 'msg.send', cid: 'c1' }, { durable: true });
    const sentBefore = first.requests('msg.send')[0]!;

    first.drop();
    const queued = client.request<{ n: number }>({ t: 'msg.send', cid: 'c2' }, { durable: true });
    const second = await reconnect();
    await waitFor(() => second.requests('msg.send').length === 2, {
      what: 'both sends on the new socket',
      intervalMs: 0,
    });
    const [again, next] = second.requests('msg.send');
    second.receive({ t: 'ack', id: again!.id, result: { n: 1 } });
    second.receive({ t: 'ack', id: next!.id, result: { n: 2 } });

    assert.deepEqual([await cut, await queued], [{ n: 1 }, { n: 2 }]);
    assert.equal(again!.id, sentBefore.id);
    assert.deepEqual([again!.cid, next!.cid], ['c1', 'c2']);
    assert.equal(first.requests('msg.send').length, 1, 'nothing sent while away');
    const third = await reconnect();
    void client.request({ t: 'msg.send', cid: 'c3' }, { durable: true }).catch(() => undefined);
    await waitFor(() => third.requests('msg.send').length > 0, {
      what: 'a newer send on the third socket',
      intervalMs: 0,
    });
    assert.deepEqual(
      third.requests('msg.send').map((f) => f.cid),
      ['c3'],
      'answered requests are never sent again',
    );
  });

  it('queued durable requests wait for the resume steps (a conference rejoins first)', async () => {
    const { client, connect, sockets, socket } = make();
    await connect();
    const order: string[] = [];
    client.onResume(async () => {
      order.push('rejoin asked');
      await client.request({ t: 'conf.join' });
      order.push('rejoin answered');
    });
    sockets[0]!.drop();
    const signal = client
      .request({ t: 'conf.signal', to: 'bob' }, { durable: true })
      .then(() => order.push('signal answered'));

    const second = await socket(2);
    second.receive(welcomeFrame);
    await waitFor(() => second.sent.length === 1, { what: 'the rejoin on the wire', intervalMs: 0 });
    assert.deepEqual(
      second.sent.map((f) => f.t),
      ['conf.join'],
      'the signal waits for the rejoin',
    );
    second.receive({ t: 'ack', id: second.sent[0]!.id, result: {} });
    await waitFor(() => second.requests('conf.signal').length === 1, {
      what: 'the signal after the rejoin',
      intervalMs: 0,
    });
    second.receive({ t: 'ack', id: second.requests('conf.signal')[0]!.id, result: {} });
    await signal;

    assert.deepEqual(order, ['rejoin asked', 'rejoin answered', 'signal answered']);
  });

  it('a durable request whose keep() turned false is dropped instead of sent again', async () => {
    const { client, connect, reconnect } = make();
    await connect();
    let wanted = true;
    const stale = outcome(client.request({ t: 'conf.signal', to: 'bob' }, { durable: true, keep: () => wanted }));

    wanted = false;
    const second = await reconnect();

    assert.equal((await stale).code, ErrorCode.UnspecifiedError);
    assert.deepEqual(second.requests('conf.signal'), []);
  });

  it('close() rejects every unanswered request, durable ones too; a durable request needs an opened client', async () => {
    const { client, connect } = make();
    const early = outcome(client.request({ t: 'msg.send' }, { durable: true }));
    await connect();
    const durable = outcome(client.request({ t: 'msg.send' }, { durable: true }));
    const plain = outcome(client.request({ t: 'conf.data' }));

    client.close();

    assert.equal((await early).code, ErrorCode.UnspecifiedError);
    assert.equal((await durable).code, ErrorCode.UnspecifiedError);
    assert.equal((await plain).code, ErrorCode.UnspecifiedError);
  });
});

describe('SignalClient: liveness', () => {
  // The interval and the clock are mocked: a page too busy to run a tick on time is a jump of the clock.
  const pings = { ...welcomeFrame, pingInterval: 1000, pingTimeout: 500 };
  afterEach(() => mock.timers.reset());

  async function connected() {
    mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
    const made = make();
    const opened = made.client.open();
    const first = await made.socket(1);
    first.receive(pings);
    await opened;
    return { ...made, first };
  }

  it('a ping unanswered past the timeout drops the socket and reconnects', async () => {
    const { client, first, socket } = await connected();
    mock.timers.tick(1000);
    assert.equal(first.requests('ping').length, 1);
    mock.timers.tick(1000);
    assert.equal(client.state, 'reconnecting');
    assert.equal(first.readyState, 3, 'the silent socket is closed');
    await socket(2);
  });

  it('a tick that runs late does not drop a socket whose pong came back', async () => {
    const { client, first, sockets } = await connected();
    mock.timers.tick(1000);
    const [ping] = first.requests('ping');
    first.receive({ t: 'pong', ts: ping!.ts });
    // 40 s pass with no tick (a page starved of CPU), then the tick runs.
    mock.timers.setTime(Date.now() + 40_000);
    mock.timers.tick(1000);
    assert.equal(client.state, 'connected');
    assert.equal(sockets.length, 1);
    assert.equal(first.requests('ping').length, 2, 'the next ping went out');
  });
});
