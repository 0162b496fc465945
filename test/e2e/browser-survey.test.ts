/**
 * The survey page (H-33) in headless Chromium (playwright-core) on the local stack with a virtual
 * clock: the customer opens the link from the result notice captured by local SES, answers
 * "not solved" with the keyboard, sees the thanks page, and the complaint is reopened (H-34), as the
 * console shows it; a link opened after the survey closed shows the expired page.
 *
 * With UPDATE_SCREENSHOTS=1 it also writes the README pictures to docs/images/ (survey page at a
 * phone's width, an escalation email, the workflow diagram).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNotification } from '../../functions/domain/notifications';
import { buildComplaintLoopDefinition } from '../../workflows/complaint-loop';
import { renderMermaid, renderSvg } from '../../workflows/diagram';
import { CHROMIUM, CHROMIUM_FLAGS, signIn } from '../support/browser';
import { attribution, type Complaint, type Harness, HOUR, linkIn, startHarness } from '../workflow/harness';

const IMAGES = path.resolve(__dirname, '../../docs/images');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const haveChromium = fs.existsSync(CHROMIUM);

const resolution = {
  what: '晚间宽带断线 / broadband drops in the evening',
  how: '更换了小区光交箱的板卡 / the line card in the cabinet was replaced',
  followUp: '一周内每晚监测线路 / line watched every evening for a week',
};

let h: Harness;
let browser: Browser;

// Chromium is a system package: without it there is nothing to drive (the reason is printed).
describe.skipIf(!haveChromium)(`survey in a browser${haveChromium ? '' : ' (skipped: /usr/bin/chromium is not installed)'}`, () => {
  beforeAll(async () => {
    // A fresh temporary profile per launch (playwright creates and removes it).
    [h, browser] = await Promise.all([startHarness(), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  async function toResultNotice(c: Complaint): Promise<string> {
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
    expect(notice, 'result notice in local SES').toBeDefined();
    return linkIn(notice!, 'survey');
  }

  /** The whole page: the viewport grown to the document (fullPage screenshots stalled in this Chromium). */
  async function shootWhole(page: Page, file: string): Promise<void> {
    const width = page.viewportSize()!.width;
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: file });
  }

  async function phonePage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' });
    return context.newPage();
  }

  it('answers "not solved" by keyboard from the emailed link, thanks the customer and reopens the complaint (H-33, H-34)', async () => {
    const c = await h.intake();
    const url = await toResultNotice(c);
    const page = await phonePage();
    try {
      const res = await page.goto(url);
      expect(res?.status()).toBe(200);
      await expect(page.title()).resolves.toBe('满意度回访 / Satisfaction survey');
      // The complaint in brief (masked) and the written result are on the page (H-32).
      const body = await page.locator('main').innerText();
      expect(body).toContain(c.id);
      expect(body).toContain('更换了小区光交箱的板卡');
      expect(body).toContain('一周内每晚监测线路');
      expect(body).toContain('Broadband drops every evening');
      expect(body).not.toContain('138 0013 8000');
      // Every control has an accessible name (label or legend).
      await expect(page.getByRole('radio', { name: /未解决/ }).count()).resolves.toBe(1);
      await expect(page.getByRole('group', { name: /问题是否已解决/ }).count()).resolves.toBe(1);
      await expect(page.getByRole('textbox', { name: /意见或建议/ }).count()).resolves.toBe(1);
      if (SCREENSHOTS) {
        fs.mkdirSync(IMAGES, { recursive: true });
        await shootWhole(page, path.join(IMAGES, 'survey-page.png'));
      }

      // Keyboard only: Tab into the first radio group, arrow to "not solved", Tab to the score, pick 2, type a comment.
      await page.locator('body').focus();
      await page.keyboard.press('Tab');
      await expect(page.evaluate<string>('document.activeElement.name')).resolves.toBe('solved');
      await page.keyboard.press('ArrowRight');
      await expect(page.getByRole('radio', { name: /未解决/ }).isChecked()).resolves.toBe(true);
      // The focused choice shows a visible focus ring.
      const ring = await page.evaluate<string>("getComputedStyle(document.activeElement.closest('label')).outlineStyle");
      expect(ring).toBe('solid');
      await page.keyboard.press('Tab');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
      await page.keyboard.type('晚上还是断线 / still drops at night');
      await page.keyboard.press('Tab');
      const answered = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.keyboard.press('Enter');
      expect((await answered).status()).toBe(200);
      await page.waitForLoadState();
      await expect(page.locator('h1').innerText()).resolves.toContain('感谢您的反馈');
      await expect(page.locator('main').innerText()).resolves.toContain('将重新处理');
    } finally {
      await page.context().close();
    }

    await h.stack.engine.settle();
    const view = await c.view();
    expect(view.reopenCount).toBe(1);
    expect(view.milestone).toBe('handling-opinion');
    expect(view.survey).toMatchObject({ solved: false, score: 2, comment: '晚上还是断线 / still drops at night' });

    // The service manager sees it reopened in the console (signed in with a login link, then the complaint page).
    const consolePage = await browser.newPage();
    try {
      await signIn(consolePage, h.stack.browserLoginUrl(`/console/complaints/${c.id}`), new RegExp(`/console/complaints/${c.id}$`));
      const text = await consolePage.locator('body').innerText();
      expect(text).toMatch(/重开次数 Reopened\s+1/);
      expect(text).toContain('handling-opinion');
    } finally {
      await consolePage.close();
    }
  }, 120_000);

  it('fails to open a survey link after the survey closed: the expired page (410)', async () => {
    const c = await h.intake();
    const url = await toResultNotice(c);
    // The default survey window is P3D (functions/domain/sla-policy.ts): a day more and it has closed.
    await h.advance(4 * 24 * HOUR);
    const page = await phonePage();
    try {
      const res = await page.goto(url);
      expect(res?.status()).toBe(410);
      await expect(page.locator('h1').innerText()).resolves.toContain('链接已过期');
      await expect(page.locator('main').innerText()).resolves.toContain('Link expired');
      await expect(page.locator('form').count()).resolves.toBe(0);
    } finally {
      await page.context().close();
    }
    expect((await c.view()).status).toBe('closed');
  }, 120_000);

  it.runIf(SCREENSHOTS)(
    'writes the escalation email and the workflow diagram pictures',
    async () => {
      const email = renderNotification('clock-escalation', {
        complaintId: 'c-7QK2M4XDGJ5ZP3RTW8N6BCHVYA',
        timeZone: 'Asia/Shanghai',
        now: '2026-03-02T01:25:00.000Z',
        clock: {
          id: 'H-01',
          clause: '§1.2.2, §1.1',
          title: { zh: '首次响应（20分钟）', en: 'First response (20 min)' },
          deadline: '2026-03-02T01:20:00.000Z',
        },
        level: 1,
        owner: 'li.wei',
        team: 'network-operations',
        summary: '客户13812345678反映家里宽带晚上经常断线，影响工作。Broadband drops every evening.',
        ackUrl: 'https://api.example.com/prod/ack/9rT0kQ2xY7…',
      });
      const definition = buildComplaintLoopDefinition();
      const svg = renderSvg(definition);
      fs.mkdirSync(IMAGES, { recursive: true });
      fs.writeFileSync(path.join(IMAGES, 'complaint-loop.svg'), svg);
      fs.writeFileSync(path.join(IMAGES, 'complaint-loop.mmd'), renderMermaid(definition));
      const context = await browser.newContext({ viewport: { width: 680, height: 900 }, deviceScaleFactor: 2 });
      const page = await context.newPage();
      try {
        await page.setContent(email.html);
        await shootWhole(page, path.join(IMAGES, 'escalation-email.png'));
        const [, w, hgt] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
        await page.setViewportSize({ width: w!, height: hgt! });
        await page.setContent(`<body style="margin:0">${svg}</body>`);
        await page.screenshot({ path: path.join(IMAGES, 'complaint-loop.png') });
      } finally {
        await context.close();
      }
      expect(fs.statSync(path.join(IMAGES, 'escalation-email.png')).size).toBeGreaterThan(10_000);
    },
    60_000,
  );
});
