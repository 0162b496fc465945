/**
 * Console sign-in on the local stack in headless Chromium: the same authorization model as on AWS
 * (the console's Lambda REQUEST authorizer verifying the user pool's ID token in a Secure, HttpOnly
 * session cookie, the UNAUTHORIZED gateway response sending people to sign in), with the local
 * hosted login in place of the user pool's. Each person signs in with a one-time login link in a
 * browser of their own: two supervisors of different teams see only their team's complaints, the
 * other team's complaint page is 403, management sees all, and acknowledging an escalation from the
 * console records the signed-in email.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPerson } from '../../local/identity';
import { CHROMIUM, CHROMIUM_FLAGS, signIn } from '../support/browser';
import { type Complaint, type Harness, MINUTE, startHarness } from '../workflow/harness';

const CS_LEAD: LocalPerson = { email: 'cs-lead@carrier.example', groups: ['customer-service:supervisor'] };
const NOC_LEAD: LocalPerson = { email: 'noc-lead@carrier.example', groups: ['network-operations:supervisor'] };

let h: Harness;
let browser: Browser;
/** A device complaint (customer-service) and a network one (network-operations), both escalated at H-01. */
let device: Complaint;
let network: Complaint;

beforeAll(async () => {
  [h, browser] = await Promise.all([startHarness(), chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })]);
  device = await h.intake({ serviceType: 'device' });
  network = await h.intake({ serviceType: 'network' });
  // Nobody acknowledged within H-01's 20 minutes: both escalate to their team's supervisors.
  await h.advance(21 * MINUTE);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

/** A browser of the person's own (cookies are per context), signed in with a fresh one-time link. */
async function signedInAs(person?: LocalPerson): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, h.stack.browserLoginUrl('/console', person));
  return { context, page };
}

const listed = async (page: Page) =>
  page.locator('tr[data-complaint]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-complaint')));

describe('console sign-in in a browser', () => {
  it('sends an unauthenticated visit to the console to the sign-in, which asks for a login link', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${h.stack.urls.api}/v1/console`);
      expect(new URL(page.url()).pathname).toBe('/oauth2/authorize');
      await expect(page.locator('h1').textContent()).resolves.toBe('Sign in');
      await expect(page.locator('body').textContent()).resolves.toContain('one-time login link');
      expect(await context.cookies()).not.toContainEqual(expect.objectContaining({ name: 'complaint_loop_session' }));
    } finally {
      await context.close();
    }
  });

  it('keeps the session in a Secure, HttpOnly, SameSite=Strict cookie that Chromium holds on http loopback', async () => {
    const { context } = await signedInAs(CS_LEAD);
    try {
      const session = (await context.cookies()).find((c) => c.name === 'complaint_loop_session');
      expect(session).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict', path: '/' });
    } finally {
      await context.close();
    }
  });

  it('shows a customer-service supervisor only that team: the network complaint page is 403', async () => {
    const { context, page } = await signedInAs(CS_LEAD);
    try {
      await expect(page.locator('header').textContent()).resolves.toContain(CS_LEAD.email);
      const ids = await listed(page);
      expect(ids).toContain(device.id);
      expect(ids).not.toContain(network.id);
      const other = await page.goto(`${h.stack.urls.api}/v1/console/complaints/${network.id}`);
      expect(other!.status()).toBe(403);
      await expect(page.locator('h1').textContent()).resolves.toContain('Not your team');
      const quality = await page.goto(`${h.stack.urls.api}/v1/console/quality`);
      expect(quality!.status()).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('shows a network-operations supervisor only that team: the device complaint page is 403', async () => {
    const { context, page } = await signedInAs(NOC_LEAD);
    try {
      const ids = await listed(page);
      expect(ids).toContain(network.id);
      expect(ids).not.toContain(device.id);
      expect((await page.goto(`${h.stack.urls.api}/v1/console/complaints/${device.id}`))!.status()).toBe(403);
      expect((await page.goto(`${h.stack.urls.api}/v1/console/complaints/${network.id}`))!.status()).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('shows management every team (the link that names nobody)', async () => {
    const { context, page } = await signedInAs();
    try {
      await expect(page.locator('header').textContent()).resolves.toContain('local-manager@carrier.example');
      expect(await listed(page)).toEqual(expect.arrayContaining([device.id, network.id]));
    } finally {
      await context.close();
    }
  });

  it('records the signed-in email when a supervisor acknowledges an escalation from the console', async () => {
    const { context, page } = await signedInAs(CS_LEAD);
    try {
      await page.goto(`${h.stack.urls.api}/v1/console/complaints/${device.id}`);
      await Promise.all([page.waitForURL(new RegExp(`/console/complaints/${device.id}$`)), page.click('button[data-ack="H-01/1"]')]);
      await expect(page.locator('main').textContent()).resolves.toContain(`acknowledged by ${CS_LEAD.email}`);
      await h.stack.engine.settle();
      const history = await h.api('GET', `/complaints/${device.id}`);
      expect(JSON.stringify(history.body)).toContain(CS_LEAD.email);
    } finally {
      await context.close();
    }
  });

  it('fails to reuse a login link: the second visit gets the used-link page and no session', async () => {
    const link = h.stack.browserLoginUrl('/console', NOC_LEAD);
    const first = await browser.newContext();
    const second = await browser.newContext();
    try {
      await signIn(await first.newPage(), link);
      const page = await second.newPage();
      expect((await page.goto(link))!.status()).toBe(403);
      expect(await second.cookies()).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
