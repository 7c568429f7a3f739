import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; the browser tests drive it through playwright-core. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether the browser tests can run here. Without Chromium they fail under CI and are
 * skipped (loudly) elsewhere. Use as `describe.skipIf(!browserAvailable())(...)`.
 */
export function browserAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install chromium), and CI is set.`);
  }
  console.warn(
    `\n!!! Chromium was not found at ${CHROMIUM_PATH}.\n!!! The browser (e2e) tests are SKIPPED. Install it with: apt-get install chromium\n`,
  );
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
