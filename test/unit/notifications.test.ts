import { describe, expect, it } from 'vitest';
import { containsPersonalData } from '../../functions/domain/masking';
import {
  customerLanguages,
  type NotificationModels,
  RENDER_KINDS,
  type RenderKind,
  renderNotification,
} from '../../functions/domain/notifications';

const TZ = 'Asia/Shanghai';
const ID = 'c-ABCDEFGH12345678';
const DESCRIPTION = '客户13812345678（邮箱 zhang.san@example.com，身份证11010119900307123X）反映家中无信号 <script>alert(1)</script>';
const clock = { id: 'H-01', clause: '§1.2.2, §1.1', title: { zh: '首次响应', en: 'First response' }, deadline: '2026-09-30T07:20:00.000Z' };

const MODELS: { [K in RenderKind]: NotificationModels[K] } = {
  'intake-acknowledgment': {
    complaintId: ID,
    timeZone: TZ,
    receivedAt: '2026-09-30T07:00:00.000Z',
    firstResponseBy: '2026-09-30T07:20:00.000Z',
  },
  'response-notice': {
    complaintId: ID,
    timeZone: TZ,
    opinion: '基站板卡故障，联系人13812345678',
    measures: '更换基站板卡',
    timetable: '10月1日 18:00 前完成',
    followUpOwner: 'li.wei',
  },
  'pause-notice': { complaintId: ID, timeZone: TZ, since: '2026-09-30T08:00:00.000Z', reason: '等待客户提供地址 zhang.san@example.com' },
  'resume-notice': { complaintId: ID, timeZone: TZ, at: '2026-09-30T10:00:00.000Z' },
  'reopen-notice': { complaintId: ID, timeZone: TZ, at: '2026-10-05T02:00:00.000Z', respondBy: '2026-10-07T02:00:00.000Z' },
  'result-notice': {
    complaintId: ID,
    timeZone: TZ,
    resolution: { what: '信号已恢复', how: '更换基站板卡，技术员电话13912345678', followUp: '一周后回访' },
    surveyUrl: 'https://api.example.com/prod/survey/tok_SURVEY',
    surveyClosesAt: '2026-10-04T07:00:00.000Z',
  },
  'management-intake': {
    complaintId: ID,
    timeZone: TZ,
    receivedAt: '2026-09-30T07:00:00.000Z',
    severity: 'urgent',
    team: 'network-operations',
    serviceType: 'network',
    summary: DESCRIPTION,
    reasons: ["keywords '无法拨打110' → at least urgent"],
    clocks: [
      {
        ...clock,
        id: 'H-06',
        clause: '§2.2',
        title: { zh: '重大问题处理（2小时）', en: 'Major problem handled (2 h)' },
        deadline: '2026-09-30T09:00:00.000Z',
      },
    ],
  },
  'clock-warning': {
    complaintId: ID,
    timeZone: TZ,
    now: '2026-09-30T07:15:00.000Z',
    clock,
    owner: 'li.si',
    team: 'customer-service',
    summary: DESCRIPTION,
  },
  'clock-escalation': {
    complaintId: ID,
    timeZone: TZ,
    now: '2026-09-30T07:45:00.000Z',
    clock,
    level: 2,
    owner: 'li.si',
    team: 'customer-service',
    summary: DESCRIPTION,
    ackUrl: 'https://api.example.com/prod/ack/tok_ACK',
  },
  'survey-reminder': {
    complaintId: ID,
    timeZone: TZ,
    surveyUrl: 'https://api.example.com/prod/survey/tok_SURVEY',
    closesAt: '2026-10-04T07:00:00.000Z',
  },
  'email-rejected': {
    complaintId: ID,
    timeZone: TZ,
    now: '2026-09-30T08:00:00.000Z',
    notification: 'escalation#H-01#1#2026-09-30T07:20:00.000Z',
    reason: 'Email address is not verified. The following identities failed the check in region US-EAST-1: boss@example.org',
  },
  failure: {
    complaintId: ID,
    timeZone: TZ,
    now: '2026-09-30T08:00:00.000Z',
    error: 'States.TaskFailed',
    cause: 'send failed for 13812345678',
    milestone: 'first-contact',
    team: 'customer-service',
  },
};

const render = <K extends RenderKind>(k: K) => renderNotification(k, MODELS[k]);

describe('every kind', () => {
  it.each(RENDER_KINDS)('%s: zh-CN first, English below, in subject, text and HTML; no personal data; escaped', (kind) => {
    const n = render(kind);
    expect(n.subject).toMatch(/^[【\u4e00-\u9fff].* \/ [[A-Za-z]/);
    expect(n.subject).toContain(ID);
    const zhAt = n.text.search(/[\u4e00-\u9fff]/);
    const enAt = n.text.indexOf('---- English ----');
    expect(zhAt).toBeGreaterThanOrEqual(0);
    expect(enAt).toBeGreaterThan(zhAt);
    // The opening sentence, zh-CN before English, in the HTML as in the text.
    const zhIntro = n.text.split('\n')[0]!;
    const enIntro = n.text.split('---- English ----\n\n')[1]!.split('\n')[0]!;
    const esc = (t: string) =>
      t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(n.html.indexOf(`<div lang="zh-CN" style="margin:0 0 8px;color:#1b1f24">${esc(zhIntro)}`)).toBeGreaterThan(0);
    expect(n.html.indexOf(`<div lang="en" style="margin:0;color:#4a5361">${esc(enIntro)}`)).toBeGreaterThan(n.html.indexOf(esc(zhIntro)));
    for (const part of [n.subject, n.text, n.html]) expect(containsPersonalData(part), part).toBe(false);
    expect(n.html).not.toContain('<script>');
    expect(n.html).toMatch(/^<!DOCTYPE html>/);
  });
});

describe('email-safe HTML', () => {
  it.each(RENDER_KINDS)(
    '%s: layout tables and inline styles only: no stylesheet, classes, scripts, images or external resources',
    (kind) => {
      const { html } = render(kind);
      expect(html).toContain('<table role="presentation"');
      for (const banned of ['<style', 'class=', '<script', '<img', '<link', 'src=', 'url(']) expect(html).not.toContain(banned);
      expect(html.match(/<table\b/g)!.length).toBe(html.match(/<\/table>/g)!.length);
      expect(html).toMatch(/max-width:600px/);
    },
  );

  it('colours the header by urgency: escalations red, warnings amber, customer mail blue', () => {
    expect(render('clock-escalation').html).toContain('background:#b3261e;padding:20px 24px');
    expect(render('clock-warning').html).toContain('background:#8a4b00;padding:20px 24px');
    expect(render('result-notice').html).toContain('background:#0a56c2;padding:20px 24px');
  });
});

describe('contents', () => {
  it('result notice: what, how, follow-up, survey link, close time in Shanghai time (H-08, H-32, H-33)', () => {
    const n = render('result-notice');
    for (const s of [
      '信号已恢复',
      '更换基站板卡',
      '一周后回访',
      'https://api.example.com/prod/survey/tok_SURVEY',
      '2026-10-04 15:00',
      'What was solved',
      'Follow-up',
    ]) {
      expect(n.text).toContain(s);
    }
    expect(n.html).toContain('href="https://api.example.com/prod/survey/tok_SURVEY"');
    expect(n.text).toContain('139****5678');
  });

  it('escalation: complaint, clock with H-ID and clause, deadline, how late, masked issue, owner, one acknowledge link', () => {
    const n = render('clock-escalation');
    for (const s of [
      ID,
      'H-01',
      '§1.2.2',
      '首次响应',
      'First response',
      '2026-09-30 15:20',
      '25分钟',
      '25 min',
      'li.si',
      '138****5678',
      'z***@example.com',
      '管理层',
      'management',
    ]) {
      expect(n.text).toContain(s);
    }
    expect(n.text.match(/tok_ACK/g)).toHaveLength(2); // once in the zh part, once in the en part
    // One button: a supervisor has exactly one thing to click.
    expect(n.html.match(/href="[^"]*"/g)).toEqual(['href="https://api.example.com/prod/ack/tok_ACK"']);
    expect(n.html).toContain('确认已知悉 · <span lang="en">Acknowledge</span></a>');
    expect(n.html).toContain('&lt;script&gt;');
  });

  it('warning: time left, in both languages', () => {
    const n = render('clock-warning');
    expect(n.html).toMatch(/剩余时间 · <span lang="en">Time left<\/span><\/div><div[^>]*>5分钟<\/div><div lang="en"[^>]*>5 min<\/div>/);
    expect(n.subject).toContain('剩余5分钟');
    expect(n.subject).toContain('5 min left');
    expect(n.text).toContain('2026-09-30 15:20');
  });

  it('management intake: severity, team, masked summary and the clocks with deadlines (H-24)', () => {
    const n = render('management-intake');
    for (const s of ['紧急', 'urgent', 'network-operations', 'H-06', '2026-09-30 17:00', '无法拨打110']) expect(n.text).toContain(s);
  });

  it('intake acknowledgment and survey reminder carry the times a customer needs', () => {
    expect(render('intake-acknowledgment').text).toContain('2026-09-30 15:20');
    const r = render('survey-reminder');
    expect(r.text).toContain('2026-10-04 15:00');
    expect(r.html).toContain('href="https://api.example.com/prod/survey/tok_SURVEY"');
  });

  it('failure: what went wrong, where, masked cause', () => {
    const n = render('failure');
    for (const s of ['States.TaskFailed', 'first-contact', '138****5678', '人工']) expect(n.text).toContain(s);
  });

  it('times follow the model time zone', () => {
    const n = renderNotification('survey-reminder', { ...MODELS['survey-reminder'], timeZone: 'Europe/Berlin' });
    expect(n.text).toContain('2026-10-04 09:00 (Europe/Berlin)');
  });

  it('a summary is cut to a brief', () => {
    const n = renderNotification('clock-warning', { ...MODELS['clock-warning'], summary: '无信号'.repeat(200) });
    expect(n.text).toContain('…');
    expect(n.text.length).toBeLessThan(2000);
  });
});

describe("H-31: the customer hears in the complaint's language", () => {
  it("the carrier setting picks the complaint's language or both", () => {
    expect(customerLanguages('en', 'complaint')).toEqual(['en']);
    expect(customerLanguages('zh-CN', 'complaint')).toEqual(['zh']);
    expect(customerLanguages('en', 'both')).toEqual(['zh', 'en']);
  });

  it('an English complaint gets English only: subject, text and HTML', () => {
    const n = renderNotification('response-notice', MODELS['response-notice'], { languages: ['en'] });
    expect(n.subject).toBe(`How we are handling your complaint (${ID})`);
    expect(n.text).not.toMatch(/您好|处理措施|时间安排/);
    expect(n.text).not.toContain('---- English ----');
    for (const s of ['Measures: 更换基站板卡', 'Timetable: 10月1日 18:00 前完成', 'Followed up by: li.wei', '138****5678'])
      expect(n.text).toContain(s);
    expect(n.html).toMatch(/^<!DOCTYPE html><html lang="en">/);
    expect(n.html).not.toContain('lang="zh-CN"');
    expect(n.html).not.toContain('您好');
    expect(n.html).toContain('Sent automatically by the complaint service');
    expect(containsPersonalData(n.html)).toBe(false);
  });

  it('a Chinese complaint gets Chinese only', () => {
    const n = renderNotification('pause-notice', MODELS['pause-notice'], { languages: ['zh'] });
    expect(n.subject).toBe(`您的投诉处理暂停，等待您的回复（${ID}）`);
    expect(n.text).not.toMatch(/Hello|Paused at/);
    expect(n.text).toContain('z***@example.com');
    expect(n.html).toMatch(/<html lang="zh-CN">/);
    expect(n.html).not.toContain('lang="en"');
  });

  it.each(['response-notice', 'pause-notice', 'resume-notice', 'reopen-notice'] as const)('%s: bilingual when asked', (kind) => {
    const n = renderNotification(kind, MODELS[kind] as never, { languages: ['zh', 'en'] });
    expect(n.text).toContain('---- English ----');
    expect(n.html).toContain('lang="en"');
  });

  it('the text for an SMS gateway leaves the link address out, keeping the label (12.8)', () => {
    const n = renderNotification('result-notice', MODELS['result-notice'], { languages: ['en'], withoutLinks: true });
    expect(n.text).not.toContain('tok_SURVEY');
    expect(n.text).toContain('Is it solved? Tell us');
  });

  it('H-13: the response notice names opinion, measures, timetable and the follow-up owner', () => {
    const n = render('response-notice');
    for (const s of ['处理措施', '时间安排', '更换基站板卡', '10月1日 18:00 前完成', 'li.wei', 'Measures', 'Timetable'])
      expect(n.text).toContain(s);
  });

  it('the reopen notice gives the new response deadline', () => {
    expect(render('reopen-notice').text).toContain('2026-10-07 10:00');
  });
});

describe('H-12: provisional deadlines', () => {
  it('a warning and an escalation say PROVISIONAL beside a deadline that counts days of a year with no official schedule', () => {
    const provisional = { ...clock, id: 'H-12', provisional: true };
    const warning = renderNotification('clock-warning', { ...MODELS['clock-warning'], clock: provisional });
    const escalation = renderNotification('clock-escalation', { ...MODELS['clock-escalation'], clock: provisional });
    expect(warning.text).toContain('2026-09-30 15:20 (Asia/Shanghai) PROVISIONAL');
    expect(escalation.text).toContain('2026-09-30 15:20 (Asia/Shanghai) PROVISIONAL');
    expect(render('clock-warning').text).not.toContain('PROVISIONAL');
  });
});
