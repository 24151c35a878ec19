import type { Browser } from 'playwright-core';
import * as catalogWorkflow from '@gx/catalog';
import { seedDemoDirectory } from '@gx/platform';
import { startHarness, type Harness } from '../harness.ts';
import { launchChromium } from './chromium.ts';
import { reservePort, startPortal, type RunningPortal } from './portalServer.ts';

export interface PortalJourney {
  h: Harness;
  portal: RunningPortal;
  browser: Browser;
}

/**
 * What a signed-in portal journey needs: the platform seeded with the demo directory, the
 * portal on a port reserved first (the provider must accept its redirect URI) with sign-in
 * through the harness's provider, and Chromium.
 */
export async function startPortalJourney(sessionSecret: string): Promise<PortalJourney> {
  const port = await reservePort();
  const h = await startHarness({ portalUrl: `http://127.0.0.1:${port.port}` });
  await seedDemoDirectory({ prisma: h.db.prisma, pool: h.db.pool, workflow: catalogWorkflow });
  const [portal, browser] = await Promise.all([
    startPortal({
      catalogUrl: h.catalog.base,
      exchangeUrl: h.exchange.base,
      connectorsUrl: h.connectors.base,
      port,
      oidcIssuer: h.issuer,
      sessionSecret,
    }),
    launchChromium(),
  ]);
  return { h, portal, browser };
}
