import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import { JanusClient } from '../../src/server/sfu/janus-client.js';
import { writeJanusConfig } from '../../src/server/sfu/janus-config.js';
import { JanusProcess, findFreePort } from '../../src/server/sfu/janus-process.js';
import { iceInterface, startTestJanus } from './janus-fixture.js';

describe('Janus config and process', () => {
  it('writes a config with only VideoRoom and WebSockets, loopback transports, the RTP range and ICE interfaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oovoo-janus-config-'));
    try {
      const main = writeJanusConfig(dir, {
        wsPort: 18188,
        rtpPortRange: [30000, 30099],
        iceEnforceList: ['va', 'vb'],
        nat1to1Ip: '203.0.113.7',
        sessionTimeoutSec: 7,
        videoroomAdminKey: 'k"ey',
      });
      const janus = readFileSync(main, 'utf8');
      assert.match(janus, /rtp_port_range = "30000-30099"/);
      assert.match(janus, /ignore_mdns = true/);
      assert.match(janus, /ice_enforce_list = "va,vb"/);
      assert.match(janus, /nat_1_1_mapping = "203\.0\.113\.7"/);
      assert.match(janus, /session_timeout = 7/);
      assert.match(janus, /plugins: \{\n\tdisable = "[^"]*libjanus_echotest\.so[^"]*"/);
      assert.doesNotMatch(janus, /libjanus_videoroom\.so/);
      assert.doesNotMatch(janus, /libjanus_websockets\.so/);
      assert.doesNotMatch(janus, /admin_secret/);
      const ws = readFileSync(join(dir, 'janus.transport.websockets.jcfg'), 'utf8');
      assert.match(ws, /ws_port = 18188\n\tws_ip = "127\.0\.0\.1"/);
      assert.match(ws, /admin_ws = false/);
      assert.match(readFileSync(join(dir, 'janus.plugin.videoroom.jcfg'), 'utf8'), /admin_key = "k\\"ey"/);
      writeJanusConfig(dir, { wsPort: 18188 });
      assert.doesNotMatch(readFileSync(main, 'utf8'), /nat_1_1_mapping/, 'no mapping unless one is given');
      assert.throws(() => writeJanusConfig(dir, { wsPort: 1, adminWsPort: 2 }), /adminSecret/);
      assert.throws(() => writeJanusConfig(dir, { wsPort: 1, rtpPortRange: [5000, 4000] }), /RTP port range/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts Janus answering info with only those modules, and stops it by PID with SIGINT', async () => {
    const adminWsPort = await findFreePort();
    const janus = await startTestJanus({ adminWsPort, adminSecret: 'admin-secret' });
    try {
      const client = new JanusClient({ url: janus.url });
      await client.start();
      const info = await client.info();
      await client.close();
      assert.deepEqual(Object.keys(info.plugins as object), ['janus.plugin.videoroom']);
      assert.deepEqual(Object.keys(info.transports as object), ['janus.transport.websockets']);
      assert.equal(info['server-name'], 'oovoo-janus');
      // The admin API answers on its own port only when asked for.
      const admin = new WebSocket(`ws://127.0.0.1:${adminWsPort}`, 'janus-admin-protocol');
      const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
        admin.once('error', reject);
        admin.once('open', () =>
          admin.send(JSON.stringify({ janus: 'list_sessions', admin_secret: 'admin-secret', transaction: 'a' })),
        );
        admin.once('message', (data) => resolve(JSON.parse(String(data)) as Record<string, unknown>));
      });
      admin.close();
      assert.equal(answer.janus, 'success');
      assert.ok(janus.janus.running);
      assert.ok((janus.janus.pid ?? 0) > 0);
    } finally {
      await janus.stop();
    }
    assert.equal(janus.janus.running, false);
    const exit = await janus.janus.exited;
    assert.equal(exit.expected, true);
    assert.equal(exit.code, 0);
    assert.ok(
      exit.lastLines.some((l) => l.includes('Bye!')),
      'Janus shut down on SIGINT',
    );
  });

  it('fails clearly when Janus cannot start, and names the interface the tests use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oovoo-janus-missing-'));
    try {
      await assert.rejects(
        JanusProcess.start({ dir, wsPort: await findFreePort(), binary: join(dir, 'no-such-janus') }),
        /Could not start Janus .*no-such-janus.*ENOENT/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(iceInterface(), 'va');
  });
});
