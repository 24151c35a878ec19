import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '@gx/platform';
import type { Harness } from '../harness.ts';
import type { RunningPortal } from './portalServer.ts';

/**
 * A member of staff signed in to the console in a fresh browser context: /console, 登录, the
 * provider's login form with a demo account (`hz-gaj.steward`, `hz-dsj.approver`, `admin`…),
 * back on the console start page.
 */
export async function signInToConsole(
  browser: Browser,
  h: Harness,
  portal: RunningPortal,
  username: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${portal.base}/console`);
  await page.locator('main').getByRole('link', { name: '登录', exact: true }).click();
  await page.waitForURL(`${h.issuer}/interaction/**`);
  await page.getByLabel('用户名或邮箱').fill(username);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${portal.base}/console`);
  return { context, page };
}

/** The console's last form outcome (the flash message) on the page. */
export const flashText = (page: Page) => page.locator('.console-flash').innerText();

/** Wait for a page; on a miss, say where the browser is and what the portal logged. */
export async function arrive(
  page: Page,
  portal: RunningPortal,
  url: string | RegExp,
): Promise<void> {
  await page.waitForURL(url).catch(async (error: unknown) => {
    throw new Error(
      `${String(error)}\nat ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 500)}\n${portal.output().slice(-3000)}`,
    );
  });
}
