// Browser tests in real Chromium (the system binary) through Playwright; everything else is shared
// with the Firefox run (web-test-runner.shared.mjs).
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, ensureChromium } from './scripts/chromium.mjs';
import { sharedConfig } from './web-test-runner.shared.mjs';

export default {
  ...sharedConfig,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS },
    }),
  ],
};
