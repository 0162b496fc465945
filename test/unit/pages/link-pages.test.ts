/**
 * The survey and acknowledgement pages as HTML: structure people with a keyboard or a screen
 * reader rely on, colour contrast, and what they show. Contrast ratio as WCAG 2.1 defines it:
 * https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio (relative luminance: #dfn-relative-luminance).
 */

import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { PAGE_CSS, PAGES } from '../../../functions/app/pages/pages';
import { surveyHandler } from '../../../functions/app/pages/survey';
import { epochAt, minutesAfter, surveyingComplaint } from '../handlers/fixtures';
import { apiEvent, inMemoryApp, sha256Hex } from '../handlers/support';

let app: ReturnType<typeof inMemoryApp>;
let survey: ReturnType<typeof surveyHandler>;

beforeEach(() => {
  app = inMemoryApp();
  survey = surveyHandler(app);
});

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

async function openSurvey() {
  const c = {
    ...surveyingComplaint(),
    description: '宽带无法上网，联系电话 13812345678，邮箱 wang.wu@example.com',
    resolution: { what: '线路恢复', how: '更换光猫，装维电话13912345678', followUp: '' },
  };
  app.store.seed(c, { waitMilestone: 'survey', waitToken: 'token-survey' });
  const token = randomBytes(32).toString('base64url');
  await app.store.putLink(sha256Hex(token), {
    purpose: 'survey',
    complaintId: c.id,
    createdAt: minutesAfter(30),
    expiresAt: minutesAfter(30 + 3 * 1440),
  });
  const res = await survey(
    apiEvent({
      method: 'GET',
      pathParameters: { token },
      path: `/survey/${token}`,
      body: null,
      headers: {},
      requestTimeEpoch: epochAt(60),
    }),
  );
  return { c, res };
}

describe('the survey page', () => {
  it('shows the complaint in brief and the written result (H-32), with personal data masked (H-42)', async () => {
    const { c, res } = await openSurvey();
    expect(res.statusCode).toBe(200);
    for (const s of [c.id, '宽带无法上网', '138****5678', 'w***@example.com', '线路恢复', '更换光猫', '139****5678', '无 / none'])
      expect(res.body).toContain(s);
    for (const s of ['13812345678', 'wang.wu@', '13912345678']) expect(res.body).not.toContain(s);
  });

  it('names every control: radios inside labels, groups with a legend, the comment by label[for]', async () => {
    const { res } = await openSurvey();
    const html = res.body;
    const radios = html.match(/<input type="radio"[^>]*>/g)!;
    expect(radios).toHaveLength(7);
    // Each radio sits inside its own <label>.
    expect(html.match(/<label class="choice"><input type="radio"/g)).toHaveLength(7);
    expect(html.match(/<fieldset>\n<legend>/g)).toHaveLength(2);
    expect(html).toContain('<label for="comment">');
    expect(html).toContain('<textarea id="comment" name="comment"');
    expect(html).toMatch(/name="solved" value="yes" required/);
    // No scripts, no external resources: works without JavaScript.
    expect(html).not.toMatch(/<script|<link|src=|url\(/);
    expect(res.headers!['Content-Security-Policy']).toContain("default-src 'none'");
  });

  it('is mobile-first with a visible keyboard focus', () => {
    expect(PAGE_CSS).toContain(':focus-visible{outline:3px solid #1b1f24');
    expect(PAGE_CSS).toContain('.choice:has(input:focus-visible){outline:3px solid');
    expect(PAGE_CSS).toMatch(/@media \(min-width:40rem\)/);
    expect(PAGE_CSS).toContain('min-height:3rem');
  });
});

describe('colour contrast of the pages (WCAG 2.1 AA: at least 4.5:1 for text)', () => {
  const pairs: [string, string, string][] = [
    ['text on the card', '#1b1f24', '#ffffff'],
    ['text on the page', '#1b1f24', '#f4f6f8'],
    ['secondary text on the card', '#4a5361', '#ffffff'],
    ['secondary text on the page', '#4a5361', '#f4f6f8'],
    ['button text', '#ffffff', '#0a56c2'],
    ['button text on hover', '#ffffff', '#08459c'],
    ['header text', '#ffffff', '#0a56c2'],
    ['required mark', '#b3261e', '#ffffff'],
    ['selected choice text', '#1b1f24', '#eaf1fc'],
  ];
  it.each(pairs)('%s', (_, fg, bg) => {
    expect(PAGE_CSS.includes(fg) && PAGE_CSS.includes(bg)).toBe(true);
    expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  });

  it('fails the check for a pair that is too light (the check can fail)', () => {
    expect(contrast('#9aa3ae', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('message pages', () => {
  it.each([
    ['unknown', 404, '链接无效'],
    ['used', 410, '链接已使用'],
    ['expired', 410, '链接已过期'],
    ['closed', 410, '已结束'],
  ] as const)('%s: %i, bilingual, no form', (key, status, zh) => {
    const res = PAGES[key]();
    expect(res.statusCode).toBe(status);
    expect(res.body).toContain(`<h1>${zh} <span class="en" lang="en">`);
    expect(res.body).not.toContain('<form');
  });

  it('fails a submission with a page naming each missing field in both languages', () => {
    const res = PAGES.badRequest(['solved', 'x<y']);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(
      '<li>问题是否已解决 <span class="en" lang="en">whether your problem is solved</span> <code>solved</code></li>',
    );
    expect(res.body).toContain('<li><code>x&lt;y</code></li>');
  });
});
