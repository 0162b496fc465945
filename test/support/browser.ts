/**
 * Debian's Chromium for the browser tests (installed by .ci/run). The flags keep it from reaching
 * for the network at start, which this machine's closed network refuses.
 */
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
