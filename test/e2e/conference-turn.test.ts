import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { startCoturn, type TestCoturn } from '../helpers/coturn.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { PAGES_DIR, Participant } from './conference-fixture.js';

const SECRET = 'test-turn-secret';

describe('conference: relay-only call through coturn with TURN REST credentials', () => {
  let server: TestServer;
  let app: TestApp;
  let browser: Browser;
  let turn: TestCoturn;

  before(async () => {
    turn = await startCoturn(SECRET);
    server = await startTestServer({
      ...relaxedLimits,
      demoDir: PAGES_DIR,
      conference: { turnUrls: [`turn:127.0.0.1:${turn.port}?transport=udp`], turnSecret: SECRET },
    });
    app = await server.createApp(['localhost', '127.0.0.1']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    turn?.stop();
  });

  it('both sides decode each other over relay candidates only', async () => {
    const people: Participant[] = [];
    for (const uid of ['turn-a', 'turn-b']) {
      const { page } = await newPerson(browser);
      const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
      const { participant, result } = await Participant.join(page, server.url, {
        token,
        uid,
        conf: 'relay-only',
        params: { audio: true, video: true, iceTransportPolicy: 'relay' },
      });
      assert.deepEqual(result, { conf: 'relay-only' });
      people.push(participant);
    }
    const [a, b] = people as [Participant, Participant];
    await a.waitForMediaFrom('turn-b');
    await b.waitForMediaFrom('turn-a');
    const types = await a.page.evaluate(async () => {
      const pc: RTCPeerConnection = (window as any).__conf.c.peerConnection('turn-b');
      const stats = await pc.getStats();
      const found: string[] = [];
      stats.forEach((s: any) => {
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          found.push(stats.get(s.localCandidateId).candidateType, stats.get(s.remoteCandidateId).candidateType);
        }
      });
      return found;
    });
    assert.ok(types.length >= 2 && types.every((t) => t === 'relay'), `selected candidates: ${types.join(', ')}`);
    assert.match(
      turn.log(),
      /session .*: realm <oovoo.test> user <\d+:turn-[ab]>/,
      'coturn accepted our REST credentials',
    );
    for (const p of people) await p.page.context().close();
  });
});
