import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where the portal journeys leave their screenshots (gitignored), to be looked at. */
export const SCREENSHOTS = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'test-results',
  'screenshots',
);

/** A full-page screenshot under SCREENSHOTS. */
export async function shoot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_RULES = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * What axe-core finds serious or critical on the page, as readable lines. axe-core's own
 * source is injected into the page and run there (its Playwright wrapper wants Node 22).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: await AXE_SOURCE });
  const result = await page.evaluate<AxeResults>(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(AXE_RULES)} } })`,
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

/** a small phone's screen, in CSS pixels */
export const PHONE = { width: 375, height: 800 };

/**
 * Evaluated in the page: how wide the page is (wider than the window: it scrolls sideways), and
 * the innermost elements reaching past the window's right edge, to say what to fix.
 */
const PAGE_WIDTH = `(() => {
  const edge = document.documentElement.clientWidth;
  const out = [...document.body.querySelectorAll('*')]
    .filter((e) => !e.firstElementChild && e.getBoundingClientRect().right > edge + 1)
    .slice(0, 8)
    .map((e) => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 60));
  return { width: document.documentElement.scrollWidth, out };
})()`;

export type PageWidths = Record<string, { width: number; out: string[] }>;

/** Each page's width on a PHONE-sized window (each must answer 200), and what sticks out. */
export async function phoneWidths(
  page: Page,
  base: string,
  targets: string[],
): Promise<PageWidths> {
  await page.setViewportSize(PHONE);
  const found: PageWidths = {};
  for (const target of targets) {
    expect((await page.goto(`${base}${target}`))?.status(), target).toBe(200);
    found[target] = await page.evaluate<{ width: number; out: string[] }>(PAGE_WIDTH);
  }
  return found;
}

/** Fails naming the page and what sticks out when a page is wider than the phone. */
export function expectNoSidewaysScroll(found: PageWidths): void {
  for (const [target, { width, out }] of Object.entries(found)) {
    expect(width, `${target}: ${out.join(' | ')}`).toBeLessThanOrEqual(PHONE.width);
  }
}

/**
 * The page links the open-data API's OpenAPI description its TypeScript examples are generated
 * from, with the `openapi-typescript` command filled in, and the link serves that description.
 */
export async function expectOpenApiDescription(page: Page, catalogBase: string): Promise<void> {
  const descriptionUrl = `${catalogBase}/dcat/open-data-api/openapi.json`;
  const description = page.locator('.openapi-description');
  expect(await description.getByRole('link', { name: descriptionUrl }).getAttribute('href')).toBe(
    descriptionUrl,
  );
  expect(await description.locator('pre').innerText()).toBe(
    `npx openapi-typescript ${descriptionUrl} -o exchange-api.ts`,
  );
  const spec = (await (await fetch(descriptionUrl)).json()) as { paths: object };
  expect(Object.keys(spec.paths)).toContain('/v1/open/resources/{code}/records');
}
