// The Chromium the tests drive: $CHROME_PATH, else Debian's /usr/bin/chromium, else Playwright's own.
// When none is found and we run as root with apt, installs Debian's chromium (scripts/system-packages.mjs).
import { ensureSystemCommands, findChromium } from './system-packages.mjs';

export { findChromium };

/** Flags that work on our machines (see platform notes): headless, fake devices, loopback ICE, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

/** Returns a Chromium path, installing Debian's package when possible; throws with instructions otherwise. */
export function ensureChromium(log = (line) => process.stdout.write(`${line}\n`)) {
  return ensureSystemCommands(['chromium'], log).chromium;
}
