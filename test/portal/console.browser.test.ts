// The console's frame in real Chromium: who may enter, what each role's navigation offers.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../harness.ts';
import { signInToConsole } from './console.ts';
import { startPortalJourney } from './journey.ts';
import { seriousViolations, shoot } from './pageChecks.ts';
import type { RunningPortal } from './portalServer.ts';

const JOURNEY = { timeout: 180_000 };

let h: Harness;
let portal: RunningPortal;
let browser: Browser;

beforeAll(async () => {
  ({ h, portal, browser } = await startPortalJourney('console-frame-test-secret-0123456789'));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await portal?.close();
  await h?.close();
});

describe('the console frame', JOURNEY, () => {
  it('asks a signed-out visitor to sign in with a government account', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answer = await page.goto(`${portal.base}/console`);
    expect(answer?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('请登录工作台');
    const signIn = page.locator('main').getByRole('link', { name: '登录', exact: true });
    expect(await signIn.getAttribute('href')).toBe('/auth/login?next=%2Fconsole');
    await context.close();
  });

  it('shows a steward how to publish, and only the steward pages', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'hz-gaj.steward');
    expect(await page.locator('.console-who').innerText()).toContain('李静（数据管理员，hz-gaj）');
    const nav = page.getByRole('navigation', { name: '工作台导航' });
    expect(await nav.getByRole('link', { name: '我的资源' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: '共享申请' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: '组织机构' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: '如何发布一个资源' }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shoot(page, 'console-home-steward');
    await context.close();
  });

  it('turns a developer away politely', async () => {
    const { context, page } = await signInToConsole(browser, h, portal, 'developer').catch(
      async () => {
        throw new Error(`sign-in failed:\n${portal.output()}`);
      },
    );
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(
      '此页面仅供政务工作人员使用',
    );
    await context.close();
  });
});
