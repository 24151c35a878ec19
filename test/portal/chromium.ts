import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (apt-get install chromium; .ci/run installs it), headless. The flags keep
 * it from reaching for the network this machine does not have.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
