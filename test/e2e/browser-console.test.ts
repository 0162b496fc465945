/**
 * The console in headless Chromium (playwright-core) on the local stack with a virtual clock:
 * sign in with a one-time login link (a manager), watch a complaint's H-01 bar grow, turn warned when clock-tick
 * sends the 75 % warning, and breached at 20 minutes; open its timeline; filter without script;
 * and read the quality view once a complaint has gone round the loop and closed.
 * Set SCREENSHOT_DIR to keep screenshots (the README's come from here).
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS, signIn } from '../support/browser';
import { attribution, type Harness, HOUR, linkIn, MINUTE, resolution, startHarness } from '../workflow/harness';

let h: Harness;
let profile: string;
let context: BrowserContext;
let page: Page;

async function shot(name: string, fullPage = true): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(path.resolve(dir), `console-${name}.png`), fullPage });
}

/** What the page drew for one clock of one complaint. */
async function bar(id: string, clock: string): Promise<{ state: string; fill: number }> {
  const el = page.locator(`tr[data-complaint="${id}"] [data-clock="${clock}"]`);
  return { state: (await el.getAttribute('data-state'))!, fill: Number(await el.getAttribute('data-fill')) };
}

beforeAll(async () => {
  h = await startHarness();
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 1280, height: 900 });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await h?.stop();
  if (profile) fs.rmSync(profile, { recursive: true, force: true });
});

describe('complaint console in a browser', () => {
  it('fails to open the console without signing in: the visit ends at the sign-in', async () => {
    await page.goto(`${h.stack.urls.api}/console`);
    expect(new URL(page.url()).pathname).toBe('/oauth2/authorize');
    await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
  });

  it('shows a complaint bar that grows, turns warned, then breached as the virtual clock advances', async () => {
    const c = await h.intake();
    await signIn(page, h.stack.browserLoginUrl('/console'));
    await expect(page.locator('h1').textContent()).resolves.toContain('Open complaints');

    const start = await bar(c.id, 'H-01');
    expect(start.state).toBe('on-time');
    expect(start.fill).toBeLessThan(0.05);

    await h.advance(10 * MINUTE);
    await page.reload();
    const half = await bar(c.id, 'H-01');
    expect(half.state).toBe('on-time');
    expect(half.fill).toBeGreaterThan(start.fill);
    expect(half.fill).toBeCloseTo(0.5, 1);
    // The SVG's fill rectangle follows the fraction (220 px wide bar).
    const width = Number(await page.locator(`tr[data-complaint="${c.id}"] [data-clock="H-01"] rect.fill`).getAttribute('width'));
    expect(width).toBe(Math.round(half.fill * 220));

    // A second complaint, dispatched and acknowledged at once: its first clocks are met, not shown.
    const other = await h.intake();
    expect((await other.event('dispatched', { owner: 'wang.fang', team: 'network-operations' })).status).toBe(200);
    expect((await other.event('acknowledged')).status).toBe(200);

    // clock-tick sends the H-01 warning at 75 % (15 of 20 minutes).
    await h.advance(6 * MINUTE);
    await page.reload();
    expect(await bar(c.id, 'H-01')).toMatchObject({ state: 'warned' });

    await h.advance(5 * MINUTE);
    await page.reload();
    expect(await bar(c.id, 'H-01')).toEqual({ state: 'breached', fill: 1 });
    expect(await page.locator(`tr[data-complaint="${c.id}"]`).getAttribute('data-worst')).toBe('breached');
    // Most urgent first; the acknowledged one shows no H-01 bar any more.
    expect(await page.locator('tr[data-complaint]').first().getAttribute('data-complaint')).toBe(c.id);
    expect(await page.locator(`tr[data-complaint="${other.id}"] [data-clock="H-01"]`).count()).toBe(0);
    expect(await page.locator(`tr[data-complaint="${other.id}"] [data-clock="H-14"]`).getAttribute('data-state')).toBe('on-time');
    await shot('open');

    await page.click(`tr[data-complaint="${c.id}"] a`);
    await expect(page.locator('h1').textContent()).resolves.toContain(c.id);
    const timeline = await page.locator('ol.timeline').textContent();
    expect(timeline).toContain('registered');
    expect(timeline).toContain('clock-warning');
    expect(timeline).toContain('clock-escalation');
    // Masked: the customer's phone never reaches the page.
    expect(await page.content()).not.toContain('138 0013 8000');
    await shot('complaint', false);
  });

  it('filters with a plain GET form that works without script', async () => {
    await page.goto(`${h.stack.urls.api}/console`);
    const rows = await page.locator('tr[data-complaint]').count();
    expect(rows).toBeGreaterThan(0);
    await page.selectOption('#f-serviceType', 'device');
    await Promise.all([page.waitForURL(/serviceType=device/), page.click('form.filters button')]);
    expect(await page.locator('tr[data-complaint]').count()).toBe(0);
    await page.selectOption('#f-serviceType', 'data');
    await Promise.all([page.waitForURL(/serviceType=data/), page.click('form.filters button')]);
    expect(await page.locator('tr[data-complaint]').count()).toBe(rows);
  });

  it('links to the workflow picture drawn from the deployed definition', async () => {
    await page.goto(`${h.stack.urls.api}/console`);
    await Promise.all([page.waitForURL(/\/console\/workflow$/), page.click('header nav a[href$="/console/workflow"]')]);
    expect(await page.locator('main svg').count()).toBe(1);
    expect(await page.locator('main svg').textContent()).toContain('AwaitFirstContact');
  });

  it('measures a closed complaint in the quality view and drops it from the open list', async () => {
    const c = await h.intake();
    await h.advance(5 * MINUTE);
    expect((await c.event('dispatched', { owner: 'li.wei', team: 'network-operations' })).status).toBe(200);
    expect((await c.event('acknowledged')).status).toBe(200);
    await h.advance(HOUR);
    expect((await c.event('investigated', { attribution })).status).toBe(200);
    expect(
      (
        await c.event('responded', {
          measures: '更换板卡 / replace the card',
          timetable: '今天 18:00 前 / today by 18:00',
          opinion: '今天更换板卡 / card replaced today',
          followUpOwner: 'li.wei',
        })
      ).status,
    ).toBe(200);
    expect((await c.event('resolved', { resolution })).status).toBe(200);
    const notice = (await c.emails()).find((m) => /投诉处理结果通知|result of your complaint/.test(m.subject));
    expect(notice, 'result notice').toBeDefined();
    const answer = await fetch(linkIn(notice!, 'survey'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ solved: 'yes', score: '5' }).toString(),
    });
    expect(answer.status).toBe(200);
    await h.stack.engine.settle();
    expect(await c.status()).toBe('SUCCEEDED');

    await page.goto(`${h.stack.urls.api}/console`);
    expect(await page.locator(`tr[data-complaint="${c.id}"]`).count()).toBe(0);

    await page.goto(`${h.stack.urls.api}/console/quality?from=2026-03-01&to=2026-03-31`);
    const text = (await page.locator('main').textContent())!;
    expect(text).toContain('1 complaints closed and 0 failed 2026-03-01 – 2026-03-31');
    expect(text).toContain('1 / 1 answered surveys satisfied');
    // Acknowledged 5 minutes after receipt.
    expect(text).toContain('5.0 min');
    expect(await page.locator('tr[data-clock="H-01"] td').last().textContent()).toBe('100%');
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(4);
    await shot('quality');

    // A period without closings says so rather than drawing 0 %.
    await page.goto(`${h.stack.urls.api}/console/quality?from=2026-01-01&to=2026-01-31`);
    expect(await page.locator('main').textContent()).toContain('No complaint was closed or failed in this period');
  });
});
