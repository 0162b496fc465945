/**
 * Debian's Chromium for the browser tests (installed by .ci/run). The flags keep it from reaching
 * for the network at start, which this machine's closed network refuses.
 */
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Signs the page's browser in with a one-time login link: the link, the stack's sign-in, the local
 * hosted login and the console's callback, whose page moves on to `landsOn` by itself.
 */
export async function signIn(page: Page, loginLink: string, landsOn: RegExp = /\/console$/): Promise<void> {
  await page.goto(loginLink);
  await page.waitForURL(landsOn);
}
