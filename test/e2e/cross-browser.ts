import type { Page as ChromiumPage } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { waitFor } from '../helpers/wait.js';

/**
 * One page driven by either playwright-core (Chromium) or puppeteer-core (Firefox), seen through
 * what the cross-browser tests need: running a function in it.
 */
export interface BrowserPage {
  /** Who this is in failures: "Firefox", "Chromium". */
  readonly name: string;
  run<A, R>(fn: (arg: A) => R, arg: A): Promise<R>;
}

export const chromiumPage = (name: string, page: ChromiumPage): BrowserPage => ({
  name,
  run: (fn, arg) => page.evaluate(fn as never, arg) as never,
});

export const firefoxPage = (name: string, page: FirefoxPage): BrowserPage => ({
  name,
  run: (fn, arg) => page.evaluate(fn as never, arg) as never,
});

export interface VideoPlayback {
  width: number;
  height: number;
  /** Frames presented since the count began (requestVideoFrameCallback). */
  frames: number;
}

/**
 * In the page: the video at `path` (selectors, each looked up in the shadow root of what the one before
 * found, or in it when it has none; the first in the document), its size and the frames it presented.
 * Firefox counts no playback-quality frames for a MediaStream, so frames are counted with
 * requestVideoFrameCallback, which both engines have.
 */
export function videoPlayback(path: string[]): VideoPlayback {
  let found: Element | null = null;
  for (const selector of path) {
    const scope: ParentNode = found ? (found.shadowRoot ?? found) : document;
    found = scope.querySelector(selector);
    if (!found) break;
  }
  const video = found as (HTMLVideoElement & { __presented?: number }) | null;
  if (!(video instanceof HTMLVideoElement)) return { width: 0, height: 0, frames: 0 };
  if (video.__presented === undefined) {
    video.__presented = 0;
    const count = () => {
      video.__presented!++;
      video.requestVideoFrameCallback(count);
    };
    video.requestVideoFrameCallback(count);
  }
  return { width: video.videoWidth, height: video.videoHeight, frames: video.__presented };
}

/** Waits until `viewer` plays the video at `path` (see videoPlayback): a size, then frames that keep coming. */
export async function playsVideo(viewer: BrowserPage, what: string, path: string[]): Promise<VideoPlayback> {
  const first = await waitFor(
    () => viewer.run(videoPlayback, path),
    (v) => v.width > 0 && v.frames > 0,
    {
      what: `${viewer.name} plays ${what} (first frame)`,
      timeoutMs: 60_000,
      intervalMs: 200,
    },
  );
  return waitFor(
    () => viewer.run(videoPlayback, path),
    (v) => v.width > 0 && v.frames >= first.frames + 10,
    {
      what: `${viewer.name} plays ${what} (frames advancing from ${first.frames})`,
      timeoutMs: 60_000,
      intervalMs: 200,
    },
  );
}

/** The scripts this page fetched, by path. */
export function fetchedScripts(): string[] {
  return performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p.endsWith('.js'));
}
