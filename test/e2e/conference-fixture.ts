import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from '../helpers/wait.js';
// @ts-expect-error: a plain .mjs module without types
import { CHROMIUM_ARGS, ensureChromium } from '../../scripts/chromium.mjs';

/** The folder with the blank page the conference tests load (it has only the SDK script). */
export const PAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'conference-pages');

/**
 * Chromium with the usual flags minus some (e.g. without fake devices, or without the auto-accepting
 * permission UI), plus `extra` ones.
 */
export async function launchChromiumWithout(flags: string[], extra: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: (ensureChromium as () => string)(),
    headless: true,
    args: [...(CHROMIUM_ARGS as string[]).filter((a) => !flags.includes(a)), ...extra],
  });
}

/** About a second of the fake microphone's audio over Opus, in bytes received: a window of time that media proves. */
export const AUDIO_BYTES_A_SECOND = 4000;

export interface JoinOptions {
  token: string;
  uid: string;
  conf: string;
  userData?: string;
  params?: Record<string, unknown> | null;
  /** The signaling server, when it is not the page's own origin (a proxy, another process). */
  server?: string;
}

export type RecordedEvent = [string, ...unknown[]];

/** One person in a conference: a page driven through the SDK's spec API. */
export class Participant {
  constructor(
    readonly page: Page,
    readonly uid: string,
  ) {}

  /** Connects, inits and joins; records every conference event in the page. Resolves with the join callback's result. */
  static async join(
    page: Page,
    baseUrl: string,
    opts: JoinOptions,
  ): Promise<{ participant: Participant; result: any }> {
    await preparePage(page);
    if (!page.url().startsWith(baseUrl)) await page.goto(`${baseUrl}/index.html`);
    const result = await page.evaluate(async (o) => {
      const w = window as any;
      const t: any = (w.__conf = { events: [], joinResult: undefined });
      if (o.server) w.ooVooClient.configure({ server: o.server });
      await w.ooVooClient.connect({ userId: o.uid, userToken: o.token });
      const c = w.ooVooClient.AVChat.init(
        o.params === undefined ? { audio: true, video: true } : o.params,
        (res: any) => t.events.push(['init', res.error ? res.error.code : 0]),
      );
      t.c = c;
      c.onConferenceStateChanged = (e: any) => t.events.push(['state', e.type, e.errorCode ?? null]);
      c.onParticipantJoined = (e: any) => {
        t.events.push(['joined', e.uid, e.user_data]);
        const v = document.createElement('video');
        v.id = `v_${e.uid}`;
        v.autoplay = true;
        // Played, not muted: inbound audio energy is counted only for audio that plays out.
        v.muted = e.uid === o.uid;
        v.srcObject = e.stream;
        document.body.append(v);
      };
      c.onParticipantLeft = (e: any) => {
        t.events.push(['left', e.uid]);
        document.getElementById(`v_${e.uid}`)?.remove();
      };
      c.onRemoteVideoStateChanged = (e: any) =>
        t.events.push(['video', e.uid, e.state, e.stream instanceof MediaStream]);
      c.onReceiveData = (e: any) => t.events.push(['data', e.uid, e.data]);
      c.onHandChanged = (e: any) => t.events.push(['hand', e.uid, e.raised]);
      c.onReaction = (e: any) => t.events.push(['reaction', e.uid, e.reaction]);
      // A screen share plays in <video id="s_<uid>"> while it lasts.
      c.onScreenShareStarted = (e: any) => {
        t.events.push(['share', e.uid, 'started']);
        const v = document.createElement('video');
        v.id = `s_${e.uid}`;
        v.autoplay = v.muted = true;
        v.srcObject = e.stream;
        document.body.append(v);
      };
      c.onScreenShareStopped = (e: any) => {
        t.events.push(['share', e.uid, 'stopped']);
        document.getElementById(`s_${e.uid}`)?.remove();
      };
      return new Promise((resolve) =>
        c.join(o.conf, o.uid, o.userData ?? `data of ${o.uid}`, (res: any) => resolve(res)),
      );
    }, opts);
    return { participant: new Participant(page, opts.uid), result };
  }

  events(): Promise<RecordedEvent[]> {
    return this.page.evaluate(() => (window as any).__conf.events);
  }

  /** Calls a method on the conference object (dotted path for controllers) with arguments. */
  call(path: string, ...args: unknown[]): Promise<any> {
    return this.page.evaluate(
      async ({ path, args }) => {
        const parts = path.split('.');
        let target: any = (window as any).__conf.c;
        for (const p of parts.slice(0, -1)) target = target[p];
        const value = target[parts.at(-1)!](...args);
        return value instanceof Promise
          ? value.then(
              (v: unknown) => v,
              (e: any) => ({ rejected: e.code ?? String(e) }),
            )
          : value;
      },
      { path, args },
    );
  }

  /**
   * What this page gets of `uid`'s screen share (the SDK's statsFor, and its <video id="s_<uid>">), and
   * the frames decoded from its camera at the same moment.
   */
  screenStats(uid: string): Promise<{ framesDecoded: number; videoWidth: number; cameraFrames: number }> {
    return this.page.evaluate(async (u) => {
      const c = (window as any).__conf.c;
      const el = document.getElementById(`s_${u}`) as HTMLVideoElement | null;
      return {
        framesDecoded: (await c.statsFor(u, 'screen'))?.framesDecoded ?? 0,
        videoWidth: el?.videoWidth ?? 0,
        cameraFrames: (await c.statsFor(u))?.framesDecoded ?? 0,
      };
    }, uid);
  }

  /** Waits until this page plays `uid`'s screen (a size known, frames rising) while its camera's frames rise too. */
  async waitForScreenFrom(uid: string, timeoutMs = 30_000): Promise<{ videoWidth: number }> {
    const first = await waitFor(
      () => this.screenStats(uid),
      (s) => s.videoWidth > 0 && s.framesDecoded > 0,
      { what: `${this.uid} playing the screen of ${uid}`, timeoutMs, intervalMs: 250 },
    );
    return waitFor(
      () => this.screenStats(uid),
      (s) => s.framesDecoded > first.framesDecoded + 3 && s.cameraFrames > first.cameraFrames + 3,
      { what: `${this.uid}: frames of ${uid}'s screen and camera rising`, timeoutMs, intervalMs: 250 },
    );
  }

  /** What this page receives from one remote participant. */
  stats(from: string): Promise<{
    framesDecoded: number;
    videoBytes: number;
    audioBytes: number;
    audioEnergy: number;
    videoWidth: number;
    connected: boolean;
  }> {
    return this.page.evaluate(async (uid) => {
      const c = (window as any).__conf.c;
      const pc: RTCPeerConnection | undefined = c.peerConnection(uid);
      let video: any = {};
      let audio: any = {};
      if (pc) {
        const stats = await pc.getStats();
        stats.forEach((s: any) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') video = s;
          if (s.type === 'inbound-rtp' && s.kind === 'audio') audio = s;
        });
      }
      const el = document.getElementById(`v_${uid}`) as HTMLVideoElement | null;
      return {
        framesDecoded: video.framesDecoded ?? 0,
        videoBytes: video.bytesReceived ?? 0,
        audioBytes: audio.bytesReceived ?? 0,
        audioEnergy: audio.totalAudioEnergy ?? 0,
        videoWidth: el?.videoWidth ?? 0,
        connected: pc?.connectionState === 'connected',
      };
    }, from);
  }

  /**
   * What this page receives from `from`, once `measure` of it stopped changing between two reads half
   * a second apart: what was in flight when the sender stopped has arrived.
   */
  async settledStats(
    from: string,
    measure: (stats: Awaited<ReturnType<Participant['stats']>>) => number,
    what: string,
    /** Growth that still counts as stopped (audio energy creeps up by far less than this in silence). */
    tolerance = 0,
  ): Promise<Awaited<ReturnType<Participant['stats']>>> {
    let last = Number.NaN;
    return waitFor(
      () => this.stats(from),
      (stats) => {
        const still = Math.abs(measure(stats) - last) <= tolerance;
        last = measure(stats);
        return still;
      },
      { what: `${this.uid}: ${what}`, timeoutMs: 20_000, intervalMs: 500 },
    );
  }

  /** Waits until video from `from` is decoded here (width known, frames rising) and its audio arrives. */
  async waitForMediaFrom(from: string, timeoutMs = 30_000): Promise<void> {
    const first = await waitFor(
      () => this.stats(from),
      (s) => s.videoWidth > 0 && s.framesDecoded > 0 && s.audioBytes > 0,
      { what: `${this.uid} decoding ${from}`, timeoutMs: timeoutMs, intervalMs: 200 },
    );
    await waitFor(
      () => this.stats(from),
      (s) => s.framesDecoded > first.framesDecoded + 5 && s.audioBytes > first.audioBytes,
      { what: `${this.uid}: frames from ${from} rising`, timeoutMs: timeoutMs, intervalMs: 200 },
    );
  }
}

/** Waits until a page recorded an event matching `match`. */
export async function waitForEvent(
  p: Participant,
  match: (e: RecordedEvent) => boolean,
  timeoutMs = 20_000,
  what = 'event',
): Promise<RecordedEvent[]> {
  return waitFor(
    () => p.events(),
    (events) => events.some(match),
    { what: `${p.uid}: ${what}`, timeoutMs: timeoutMs, intervalMs: 200 },
  );
}

/** tsx names functions with a `__name` helper that pages lack; define it so page functions can use named helpers. */
export async function preparePage(page: Page): Promise<void> {
  const define = '(globalThis.__name ??= (f) => f)';
  await page.addInitScript(define);
  if (page.url().startsWith('http')) await page.evaluate(define);
}

/** Records in the page every getUserMedia call (its constraints) and the kinds of the tracks it obtained. */
export async function recordCapture(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const record: { asked: unknown[]; obtained: string[] } = { asked: [], obtained: [] };
    (window as unknown as { __capture: typeof record }).__capture = record;
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      record.asked.push(JSON.parse(JSON.stringify(constraints ?? {})));
      const stream = await original(constraints);
      record.obtained.push(...stream.getTracks().map((t) => t.kind));
      return stream;
    };
  });
}

/** What recordCapture recorded in the page so far. */
export const captured = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { __capture: { asked: Record<string, unknown>[]; obtained: string[] } }).__capture,
  );
