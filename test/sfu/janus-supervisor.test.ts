// `--janus auto`: the server starts a local Janus with a config in its data folder, restarts it when
// it is killed (SfuMedia reconnects on its own) and stops it on close. Runs inside scripts/netns-veth.sh.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import { main } from '../../src/server/cli.js';
import { OPTIONS, conferenceOptions } from '../../src/server/cli-options.js';
import { startTestServer } from '../helpers/server.js';
import { waitFor, withDeadline } from '../helpers/wait.js';
import { iceInterface } from './janus-fixture.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The conference options `oovoo-server start` makes of these flags. */
function fromFlags(args: string[]) {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  return conferenceOptions(values);
}

describe('--janus auto', () => {
  it('fails with a message naming the Debian package when no janus program is on PATH', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oovoo-nojanus-'));
    const path = process.env.PATH;
    const errors: string[] = [];
    try {
      process.env.PATH = dataDir; // a folder without janus
      const code = await main(
        ['start', '--janus', 'auto', '--port', '0', '--data', dataDir, '--log-level', 'silent'],
        () => undefined,
        (text) => errors.push(text),
      );
      assert.equal(code, 1);
    } finally {
      process.env.PATH = path;
      rmSync(dataDir, { recursive: true, force: true });
    }
    assert.match(errors.join('\n'), /--janus auto needs Janus.*Debian package janus/);
  });

  it('refuses local Janus flags with a Janus it does not start, a malformed range and a public IP that is not one', () => {
    assert.throws(() => fromFlags(['--janus', 'ws://127.0.0.1:8188', '--janus-rtp-ports', '20000-20199']), /auto/);
    assert.throws(() => fromFlags(['--janus', 'ws://127.0.0.1:8188', '--janus-public-ip', '203.0.113.7']), /auto/);
    assert.throws(() => fromFlags(['--janus', 'auto', '--janus-rtp-ports', '20199-20000']), /port range/);
    assert.throws(() => fromFlags(['--janus', 'auto', '--janus-public-ip', 'vm.example.com']), /IP address/);
  });

  it('starts Janus in the data folder, restarts it after a SIGKILL, and stops it with the server', async () => {
    // A random block of 200 media ports, as in janus-fixture.ts, so Janus instances of test files rarely share one.
    const rtpBase = 20_000 + Math.floor(Math.random() * 190) * 200;
    const conference = fromFlags([
      '--janus',
      'auto',
      '--janus-ice-interface',
      iceInterface(),
      '--janus-rtp-ports',
      `${rtpBase}-${rtpBase + 199}`,
      '--janus-public-ip',
      '203.0.113.7',
    ]);
    const server = await startTestServer({ conference });
    let stopped = false;
    try {
      const janus = server.janus;
      assert.ok(janus, 'the server supervises a Janus');
      assert.match(janus.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
      const config = readFileSync(join(server.dataDir, 'janus', 'janus.jcfg'), 'utf8');
      assert.match(config, new RegExp(`rtp_port_range = "${rtpBase}-${rtpBase + 199}"`));
      assert.match(config, new RegExp(`ice_enforce_list = "${iceInterface()}"`));
      assert.match(config, /nat_1_1_mapping = "203\.0\.113\.7"/);
      const videoroom = readFileSync(join(server.dataDir, 'janus', 'janus.plugin.videoroom.jcfg'), 'utf8');
      assert.match(videoroom, /admin_key = "[\w-]{32}"/, 'a generated VideoRoom admin key');

      const first = janus.pid;
      assert.ok(first !== undefined && alive(first), 'Janus is running');
      const sfu = server.conference.sfu;
      assert.ok(sfu);
      await waitFor(() => sfu.available, { what: 'the server holding a Janus session', timeoutMs: 15_000 });

      const restarted = new Promise<{ pid: number | undefined }>((resolve) => janus.onRestart(resolve));
      process.kill(first, 'SIGKILL');
      await waitFor(() => !sfu.available, { what: 'the server noticing Janus went away', timeoutMs: 15_000 });
      const { pid: second } = await withDeadline(restarted, {
        what: 'the supervisor restarting Janus',
        timeoutMs: 20_000,
      });
      assert.ok(second !== undefined && second !== first && alive(second), 'a new Janus runs');
      assert.equal(alive(first), false);
      await waitFor(() => sfu.available, { what: 'SfuMedia reconnecting to the new Janus', timeoutMs: 20_000 });

      stopped = true;
      await server.stop();
      assert.equal(alive(second), false, 'closing the server stopped Janus');
      assert.equal(janus.pid, undefined);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
