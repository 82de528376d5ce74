// Browser tests in Firefox: Debian's firefox-esr driven by the pinned puppeteer-core over WebDriver BiDi,
// through @web/test-runner's own Puppeteer launcher (chromeLauncher given a puppeteer: what
// @web/test-runner-puppeteer does with the full puppeteer package, which would download a browser).
// Everything else is shared with the Chromium run (web-test-runner.shared.mjs).
import { chromeLauncher } from '@web/test-runner';
import puppeteer from 'puppeteer-core';
import { tsImport } from 'tsx/esm/api';
import { startXvfb } from './scripts/xvfb.mjs';
import { sharedConfig } from './web-test-runner.shared.mjs';

const { FIREFOX_PREFS, ensureFirefox } = await tsImport('./test/helpers/firefox.ts', import.meta.url);

/** Beside the prefs every Firefox test sets (test/helpers/firefox.ts): what the element suites need as well. */
const ELEMENT_PREFS = {
  // Firefox's own mock audio backend: with no sound device on the machine (no ALSA, no PulseAudio) an
  // AudioContext never leaves "suspended", so the fake microphone's tone never reaches an
  // AnalyserNode (the pre-join meter, the speaking ring) and no test sound ends. The mock runs the
  // audio graph and lists two fake speakers for setSinkId.
  'media.cubeb.force_mock_context': true,
  // Two test files run side by side, each in a window, and only one has the focus: Firefox holds
  // enumerateDevices() of an unfocused page until it is focused (the device chooser would never show).
  'media.devices.unfocused.enabled': true,
};

/**
 * puppeteer-core launching Firefox with a screen: on a virtual X display of its own (Xvfb), ended
 * when the browser goes. Headless Firefox has no screen, and its getDisplayMedia fails with NotFoundError.
 */
const firefoxOnXvfb = {
  async launch(options) {
    const xvfb = await startXvfb();
    try {
      const browser = await puppeteer.launch({ ...options, env: { ...process.env, DISPLAY: xvfb.display } });
      browser.once('disconnected', xvfb.stop);
      return browser;
    } catch (e) {
      xvfb.stop();
      throw e;
    }
  },
};

export default {
  ...sharedConfig,
  browsers: [
    chromeLauncher({
      puppeteer: firefoxOnXvfb,
      // Each test page in a window of its own: a tab behind another is hidden, and Firefox then paints
      // no video frame and throttles its timers.
      createPage: ({ context }) => context.newPage({ type: 'window' }),
      launchOptions: {
        browser: 'firefox',
        protocol: 'webDriverBiDi',
        executablePath: ensureFirefox(),
        headless: false,
        extraPrefsFirefox: { ...FIREFOX_PREFS, ...ELEMENT_PREFS },
        protocolTimeout: 120_000,
      },
    }),
  ],
};
