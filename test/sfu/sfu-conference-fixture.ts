// Shared by the SFU conference tests: a real Janus, Chromium, servers with conference.sfu, SDK pages
// joined through the spec API, and waits on what a page decodes from each remote participant.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newPerson } from '../helpers/browser.js';
import { relaxedLimits, sessionTokenFor, startTestServer, type TestApp, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { PAGES_DIR, Participant } from '../e2e/conference-fixture.js';
import type { ServerOptions } from '../../src/server/index.js';
import { ADMIN_KEY, startTestJanus, type TestJanus } from './janus-fixture.js';

/** Chromium sends three simulcast layers of a 640x480 source only with this field trial. */
export const THREE_LAYERS = '--force-fieldtrials=WebRTC-LegacySimulcastLayerLimit/Disabled/';

/** 352x288 (the SDK's smallest resolution) at a low frame rate: light on a 2-core machine. */
export const SMALL = { audio: true, video: true, videoResolution: 'NORMAL', videoFrameRate: [10, 15] };

/** Frames decoded from one remote participant, through the SDK's statsFor (per participant on the SFU). */
export async function framesFrom(p: Participant, uid: string): Promise<number> {
  return p.page.evaluate(async (u) => (await (window as any).__conf.c.statsFor(u))?.framesDecoded ?? 0, uid);
}

/** Waits until `p` decodes a rising count of frames from each of `uids`. */
export async function decodesFrom(p: Participant, uids: string[], timeoutMs = 30_000): Promise<void> {
  for (const uid of uids) {
    const first = await waitFor(
      () => framesFrom(p, uid),
      (n) => n > 0,
      { what: `${p.uid} decoding ${uid}`, timeoutMs, intervalMs: 250 },
    );
    await waitFor(
      () => framesFrom(p, uid),
      (n) => n > first + 5,
      { what: `${p.uid}: frames from ${uid} rising`, timeoutMs, intervalMs: 250 },
    );
  }
}

/**
 * Waits until every page decodes rising frames from every other (all pairs polled together);
 * returns how long that took.
 */
export async function allDecoding(pages: Participant[], timeoutMs = 60_000): Promise<number> {
  const started = Date.now();
  const pairs = pages.flatMap((p) => pages.filter((o) => o !== p).map((o) => ({ p, from: o.uid, first: -1 })));
  await waitFor(
    async () => {
      const counts = await Promise.all(pairs.map(({ p, from }) => framesFrom(p, from)));
      counts.forEach((n, i) => {
        if (pairs[i]!.first < 0 && n > 0) pairs[i]!.first = n;
      });
      return pairs
        .filter((pair, i) => pair.first < 0 || counts[i]! < pair.first + 3)
        .map((x) => `${x.p.uid}←${x.from}`);
    },
    (waiting) => waiting.length === 0,
    { what: 'every page decoding every other', timeoutMs, intervalMs: 250 },
  );
  return Date.now() - started;
}

/** One Janus and one Chromium for a test file, and the servers it starts against that Janus. */
export class SfuHarness {
  private readonly servers: TestServer[] = [];
  /** Runs on each new page before it joins (for example recordCapture). */
  beforeJoin: ((page: Page) => Promise<void>) | undefined;

  private constructor(
    readonly janus: TestJanus,
    readonly browser: Browser,
  ) {}

  static async start(chromiumArgs: string[] = [THREE_LAYERS]): Promise<SfuHarness> {
    const janus = await startTestJanus();
    try {
      return new SfuHarness(janus, await launchChromium(chromiumArgs));
    } catch (e) {
      await janus.stop();
      throw e;
    }
  }

  /** A server whose rooms move to this Janus at `sfuFrom` participants, once it holds a Janus session. */
  async serverWithSfu(
    sfuFrom: number,
    options: Partial<ServerOptions> = {},
  ): Promise<{ server: TestServer; app: TestApp }> {
    const server = await startTestServer({
      ...relaxedLimits,
      demoDir: PAGES_DIR,
      ...options,
      conference: { sfu: { janusUrl: this.janus.url, adminKey: ADMIN_KEY, sfuFrom } },
    });
    this.servers.push(server);
    await waitFor(
      () => server.conference.sfu?.available ?? false,
      (ok) => ok,
      { what: 'the server connected to Janus', timeoutMs: 10_000 },
    );
    return { server, app: await server.createApp(['localhost', '127.0.0.1']) };
  }

  /** A new person's page joins `conf` through the SDK. */
  async join(
    server: TestServer,
    app: TestApp,
    uid: string,
    conf: string,
    params: Record<string, unknown> = SMALL,
    /** Where the page's signaling goes, when not straight to `server` (a proxy that cuts it). */
    signalUrl?: string,
  ): Promise<Participant> {
    const { page } = await newPerson(this.browser);
    // Six pages encoding and decoding on two cores: loading a page may take longer than Playwright's 30 s.
    page.setDefaultTimeout(90_000);
    await this.beforeJoin?.(page);
    const token = await sessionTokenFor(server.url, app.token('web', 'production'), uid);
    const { participant, result } = await Participant.join(page, server.url, {
      token,
      uid,
      conf,
      params,
      ...(signalUrl ? { server: signalUrl } : {}),
    });
    assert.deepEqual(result, { conf }, `${uid} joined`);
    return participant;
  }

  async stop(): Promise<void> {
    await this.browser.close();
    for (const server of this.servers) await server.stop();
    await this.janus.stop();
  }
}
