// Janus killed mid-call and started again: the server logs it and tells the room (the SDK fires
// RECONNECTING), rebuilds the room on Janus's return with a new epoch, and media comes back on every
// page (RECONNECTED), with nobody leaving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { waitForEvent } from '../e2e/conference-fixture.js';
import { SfuHarness, decodesFrom } from './sfu-conference-fixture.js';

describe('an SFU room when Janus dies', () => {
  let sfu: SfuHarness;

  before(async () => {
    sfu = await SfuHarness.start();
  });
  after(async () => {
    await sfu?.stop();
  });

  it('says so, and brings media back with a new epoch once Janus is back', async () => {
    const { server, app } = await sfu.serverWithSfu(1);
    const alice = await sfu.join(server, app, 'alice', 'sfu-restart');
    const bob = await sfu.join(server, app, 'bob', 'sfu-restart');
    await decodesFrom(alice, ['bob'], 60_000);
    await decodesFrom(bob, ['alice'], 60_000);
    const room = server.conference.room(app.appId, 'sfu-restart')!;
    const epoch = room.epoch;

    // The test server logs nothing (level silent): record what the server's logger is asked to say.
    const errors: string[] = [];
    const log = server.app.log;
    const logError = log.error.bind(log);
    log.error = ((...args: unknown[]) => {
      errors.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
      return (logError as (...a: unknown[]) => void)(...args);
    }) as typeof log.error;

    const exited = new Promise((resolve) => sfu.janus.janus.onExit(resolve));
    process.kill(sfu.janus.janus.pid as number, 'SIGKILL');
    await exited;
    for (const p of [alice, bob]) {
      await waitForEvent(p, (e) => e[0] === 'state' && e[1] === 'RECONNECTING', 20_000, 'RECONNECTING');
    }
    assert.ok(
      errors.some((line) => /Janus went away/.test(line)),
      `the server logged the loss: ${JSON.stringify(errors)}`,
    );

    await sfu.janus.restart();
    await waitFor(
      () => room.epoch,
      (e) => e > epoch,
      { what: 'the room rebuilt with a new epoch', timeoutMs: 60_000, intervalMs: 200 },
    );
    assert.equal(room.mode, 'sfu');
    for (const p of [alice, bob]) {
      await waitForEvent(p, (e) => e[0] === 'state' && e[1] === 'RECONNECTED', 30_000, 'RECONNECTED');
    }
    await decodesFrom(alice, ['bob'], 60_000);
    await decodesFrom(bob, ['alice'], 60_000);
    for (const p of [alice, bob]) {
      const events = await p.events();
      assert.deepEqual(
        events.filter((e) => e[0] === 'left'),
        [],
        `${p.uid} saw nobody leave`,
      );
      assert.equal(events.filter((e) => e[0] === 'joined').length, 2, `${p.uid}: one joined each, no more`);
      // RECONNECTED after RECONNECTING, once.
      const states = events.filter((e) => e[0] === 'state' && /^RECONNECT/.test(String(e[1]))).map((e) => e[1]);
      assert.deepEqual(states, ['RECONNECTING', 'RECONNECTED'], `${p.uid}: conference states`);
    }
  });
});
