/**
 * Personal data never in logs, execution history or events (H-42): one complaint with a
 * phone number, an email address and a resident ID number runs through escalations, an
 * acknowledgement, every milestone, a note, a result notice SES refuses (its error names the
 * address) and the survey, while every line the handlers write
 * (Powertools at DEBUG) is captured. Then every log line, every execution history event (with its
 * data: GetExecutionHistory includeExecutionData) and every EventBridge event is scanned.
 * includeExecutionData: https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetExecutionHistory.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffAddresses } from '../../../local/local-stack';
import { fetchEmails } from '../../../local/services/ses-local';
import { unionEnvironment } from '../../../local/stack/template';
import { type Harness, HOUR, linkIn, MINUTE, startHarness } from '../harness';
import { allExecutions, attribution, executionHistory, resolution } from './stack';

// The handlers build their loggers when startLocalStack imports them: set the level first.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';

const PHONE = '+86 139 1234 5678';
const EMAIL = 'Zhang.Wei.Privacy@example.net';
const ID_NUMBER = '11010519491231002X';

/** The phone in any formatting: its 11 national digits with any separators between them. */
const PHONE_ANY = new RegExp('13912345678'.split('').join('[\\s\\-.()]*'));
const ID_ANY = new RegExp(
  ID_NUMBER.split('')
    .map((d) => (d === 'X' ? '[xX]' : d))
    .join('[\\s\\-.]*'),
);
const EMAIL_ANY = new RegExp(EMAIL.replace(/\./g, '\\.'), 'i');

function leaks(text: string): string[] {
  const found: string[] = [];
  // JSON escapes ("\u002b", "\/") would hide a match: scan the text and its unescaped form.
  const candidates = [text, text.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16))).replace(/\\\//g, '/')];
  for (const t of candidates) {
    if (PHONE_ANY.test(t)) found.push('phone');
    if (EMAIL_ANY.test(t) || t.toLowerCase().includes(EMAIL.toLowerCase())) found.push('email');
    if (ID_ANY.test(t)) found.push('id number');
  }
  return [...new Set(found)];
}

let h: Harness;
const captured: string[] = [];
const originalStdout = process.stdout.write.bind(process.stdout);
const originalStderr = process.stderr.write.bind(process.stderr);

function capture(stream: NodeJS.WriteStream, original: typeof process.stdout.write): void {
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
}

beforeAll(async () => {
  capture(process.stdout, originalStdout);
  capture(process.stderr, originalStderr);
  h = await startHarness();
}, 180_000);

afterAll(async () => {
  process.stdout.write = originalStdout;
  process.stderr.write = originalStderr;
  await h?.stop();
});

describe('personal data in logs, execution history and events', () => {
  it('never appears in clear after a complaint runs the whole loop', async () => {
    const c = await h.intake({
      contact: { phone: PHONE, email: EMAIL },
      description: `身份证号 ${ID_NUMBER}，手机 ${PHONE}，邮箱 ${EMAIL}。宽带每晚断线 / broadband drops every evening.`,
    });
    // Nobody calls back: the supervisor (20 min) and management (40 min) are told.
    await h.advance(41 * MINUTE);
    const level1 = (await c.emails()).find((m) => m.subject.includes('Escalation level 1'));
    expect(level1, 'an escalation').toBeDefined();
    const ack = await fetch(linkIn(level1!, 'ack'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Supervisor%20Wang',
    });
    expect(ack.status).toBe(200);

    const ok = async (type: string, fields: Record<string, unknown> = {}) => expect((await c.event(type, fields)).status).toBe(200);
    await ok('dispatched', { owner: 'li.wei', team: 'network-operations' });
    await ok('note', { text: `客户来电 ${PHONE.replace(/ /g, '-')}，邮箱 ${EMAIL}，证件 ${ID_NUMBER}` });
    await ok('acknowledged', { note: `已联系 ${PHONE}` });
    await h.advance(HOUR);
    await ok('investigated', { attribution: { ...attribution, description: `用户 ${ID_NUMBER} 线路故障` } });
    await ok('responded', {
      measures: '更换板卡 / replace the card',
      timetable: '今天 18:00 前 / today by 18:00',
      opinion: `回电 ${PHONE}`,
      followUpOwner: 'li.wei',
    });
    // 12.6: SES refuses the result notice (sandbox: the customer is not verified), and its error
    // names the address: it must reach no log, no history and no event either.
    h.stack.ses.setSandbox({ verified: staffAddresses(unionEnvironment(h.stack.app.functions).env.CONTACTS) });
    await ok('resolved', { resolution });
    h.stack.ses.setSandbox(undefined);
    expect((await c.emails()).find((m) => /投诉处理结果通知|result of your complaint/.test(m.subject))).toBeUndefined();
    expect((await c.view()).customer.emailUndeliverable).toMatchObject({ notice: 'result-notice', reason: 'MessageRejected' });
    // The survey link as an SMS gateway gets it (12.8).
    const link = await h.api('GET', `/complaints/${c.id}/links/survey`);
    expect(link.status).toBe(200);
    const survey = await fetch(link.body.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ solved: 'yes', score: '5', comment: `谢谢，我的电话 ${PHONE}` }).toString(),
    });
    expect(survey.status).toBe(200);
    await h.stack.engine.settle();
    expect(await c.status()).toBe('SUCCEEDED');
    // (The IAM-authorized staff view is out of scope here: it masks contacts and the description.)

    // The customer did get their mail: the data is there, just not where it must not be.
    expect((await fetchEmails(h.stack.urls.ses)).some((m) => m.destination.to.includes(EMAIL))).toBe(true);

    // 1. Every log line the handlers wrote (Powertools JSON lines at DEBUG).
    const logLines = captured
      .join('')
      .split('\n')
      .filter((l) => l.trim().length > 0);
    expect(logLines.some((l) => l.includes('"level":"DEBUG"') || l.includes('"level":"INFO"'))).toBe(true);
    expect(logLines.some((l) => l.includes(c.id))).toBe(true);
    const leakingLines = logLines.filter((l) => leaks(l).length > 0).map((l) => `${leaks(l).join('+')}: ${l.slice(0, 300)}`);
    expect(leakingLines).toEqual([]);

    // 2. Every history event of every execution, with its input and output.
    const executions = await allExecutions(h.stack);
    expect(executions.some((e) => e.name === c.id)).toBe(true);
    let events = 0;
    for (const e of executions) {
      for (const ev of await executionHistory(h.stack, e.executionArn, true)) {
        events += 1;
        const text = JSON.stringify(ev);
        expect(leaks(text), `${e.name} event ${ev.id} ${ev.type}: ${text.slice(0, 300)}`).toEqual([]);
      }
    }
    expect(events).toBeGreaterThan(20);
    const describe = await h.stack.engine.describeExecution({ executionArn: c.executionArn });
    expect(leaks(JSON.stringify(describe))).toEqual([]);

    // 3. Every EventBridge event.
    const published = h.stack.awsLite.events();
    expect(published.some((e) => JSON.stringify(e.detail).includes(c.id))).toBe(true);
    for (const e of published) expect(leaks(JSON.stringify(e)), `${e.detailType}: ${JSON.stringify(e.detail).slice(0, 300)}`).toEqual([]);
  }, 180_000);

  it('fails the scan on a planted leak (the scanner is not blind)', () => {
    expect(leaks(`{"message":"call ${PHONE}"}`)).toEqual(['phone']);
    expect(leaks('{"m":"1 3 9-1234-5678"}')).toEqual(['phone']);
    expect(leaks(`{"m":"${EMAIL.toLowerCase()}"}`)).toEqual(['email']);
    expect(leaks(`{"m":"${ID_NUMBER.toLowerCase()}"}`)).toEqual(['id number']);
    expect(leaks('{"m":"139****5678 z***@example.net 110***********2X"}')).toEqual([]);
  });
});
