/**
 * Notification bodies (pure), as text and email-safe HTML (layout tables, inline styles). Staff
 * mail is bilingual, zh-CN first and English below; a customer's mail is in the complaint's
 * language, or both when the carrier's settings say so (H-31). The model carries everything
 * (links, instants, time zone); times are shown in the policy's time zone. Free text that could hold personal data (the customer's description, staff
 * write-ups) is always passed through redactPersonalData (H-42), and everything is HTML-escaped.
 */
import { describeMs, formatLocal, parseInstant } from './calendar';
import { redactPersonalData } from './masking';

export const RENDER_KINDS = [
  'intake-acknowledgment',
  'response-notice',
  'pause-notice',
  'resume-notice',
  'reopen-notice',
  'result-notice',
  'management-intake',
  'clock-warning',
  'clock-escalation',
  'survey-reminder',
  'failure',
  'email-rejected',
] as const;
export type RenderKind = (typeof RENDER_KINDS)[number];

export interface ClockRef {
  readonly id: string;
  readonly clause: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly deadline: string;
  /** H-12: the deadline counts days of a year with no official holiday schedule yet. */
  readonly provisional?: boolean;
}

interface Base {
  readonly complaintId: string;
  /** IANA zone the times are shown in (policy timeZone). */
  readonly timeZone: string;
}

export interface NotificationModels {
  /** To the customer: we have your complaint (H-31). */
  'intake-acknowledgment': Base & { readonly receivedAt: string; readonly firstResponseBy?: string };
  /** H-13, H-31: to the customer: the initial handling result with measures, timetable and follow-up owner. */
  'response-notice': Base & {
    readonly opinion: string;
    readonly measures: string;
    readonly timetable: string;
    readonly followUpOwner?: string;
  };
  /** H-31: to the customer: handling waits on them (the reason), deadlines stand still. */
  'pause-notice': Base & { readonly since: string; readonly reason: string };
  /** H-31: to the customer: handling goes on. */
  'resume-notice': Base & { readonly at: string };
  /** H-31, H-34: to the customer: not solved, so it is handled again, one level higher. */
  'reopen-notice': Base & { readonly at: string; readonly respondBy?: string };
  /** To the customer: the written result (H-08, H-32) and the survey link (H-33). */
  'result-notice': Base & {
    readonly resolution: { readonly what: string; readonly how: string; readonly followUp?: string };
    readonly surveyUrl: string;
    readonly surveyClosesAt: string;
  };
  /** H-24: a major or urgent complaint reaches management at intake. */
  'management-intake': Base & {
    readonly receivedAt: string;
    readonly severity: string;
    readonly team: string;
    readonly serviceType: string;
    readonly summary: string;
    readonly reasons: readonly string[];
    readonly clocks: readonly ClockRef[];
    readonly statusUrl?: string;
  };
  /** Before a deadline: to the owner (or the team's supervisors). */
  'clock-warning': Base & {
    readonly now: string;
    readonly clock: ClockRef;
    readonly owner?: string;
    readonly team: string;
    readonly summary: string;
    readonly statusUrl?: string;
  };
  /** At the deadline (level 1) and up the ladder: to supervisors / management, with one acknowledge link. */
  'clock-escalation': Base & {
    readonly now: string;
    readonly clock: ClockRef;
    readonly level: number;
    readonly owner?: string;
    readonly team: string;
    readonly summary: string;
    readonly ackUrl: string;
  };
  /** To the customer: the survey is still open (H-33). */
  'survey-reminder': Base & { readonly surveyUrl: string; readonly closesAt: string };
  /** To operations: SES refused a staff recipient (contact list or SES identities); the loop went on. */
  'email-rejected': Base & { readonly now: string; readonly notification: string; readonly reason: string };
  /** The loop could not go on: a person must take over. */
  failure: Base & {
    readonly now: string;
    readonly error: string;
    readonly cause?: string;
    readonly milestone?: string;
    readonly team?: string;
  };
}

export interface RenderedNotification {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Bi = { readonly zh: string; readonly en: string };
type Tone = 'customer' | 'info' | 'warn' | 'alert';
interface Doc {
  readonly subject: Bi;
  /** Header colour and the tag above the title. */
  readonly tone?: Tone;
  readonly tag?: Bi;
  /** The one number that matters (time left, how late), shown large. */
  readonly highlight?: { readonly label: Bi; readonly value: Bi };
  readonly intro: Bi;
  readonly facts: readonly { readonly label: Bi; readonly value: string | Bi }[];
  readonly link?: { readonly url: string; readonly label: Bi };
  readonly outro?: Bi;
}

const SUMMARY_MAX = 200;
/** The issue in brief, masked (H-42). */
export function briefSummary(text: string, max = SUMMARY_MAX): string {
  const clean = redactPersonalData(text.replace(/\s+/g, ' ').trim());
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
const safe = (text: string) => redactPersonalData(text);

function describeMsZh(ms: number): string {
  let rest = Math.round(Math.abs(ms) / 60_000);
  const d = Math.floor(rest / 1440);
  rest -= d * 1440;
  const h = Math.floor(rest / 60);
  const m = rest - h * 60;
  return [d ? `${d}天` : '', h ? `${h}小时` : '', m || (!d && !h) ? `${m}分钟` : ''].join('');
}
const span = (ms: number): Bi => ({ zh: describeMsZh(ms), en: describeMs(Math.abs(ms)) });
const time = (iso: string, tz: string) => `${formatLocal(iso, tz)} (${tz})`;
/** A clock's deadline as people read it; a provisional one (H-12) says so, since make-up days may still move it. */
const deadlineOf = (clock: ClockRef, tz: string) => time(clock.deadline, tz) + (clock.provisional ? ' PROVISIONAL' : '');
const clockName = (c: ClockRef): Bi => ({ zh: `${c.id} ${c.title.zh}（${c.clause}）`, en: `${c.id} ${c.title.en} (${c.clause})` });
const LEVEL_TO: Record<number, Bi> = { 1: { zh: '主管', en: 'supervisor' }, 2: { zh: '管理层', en: 'management' } };

function intakeAcknowledgmentDoc(x: NotificationModels['intake-acknowledgment']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `您的投诉已受理（${id}）`, en: `We have received your complaint (${id})` },
    tone: 'customer',
    tag: { zh: '投诉受理', en: 'Complaint received' },
    intro: {
      zh: '您好，我们已收到并登记了您的投诉，将尽快与您联系并告知处理进展。',
      en: 'Hello, we have received and registered your complaint. We will contact you shortly and keep you informed.',
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint number' }, value: id },
      { label: { zh: '受理时间', en: 'Received' }, value: time(x.receivedAt, tz) },
      ...(x.firstResponseBy ? [{ label: { zh: '首次响应不晚于', en: 'First response by' }, value: time(x.firstResponseBy, tz) }] : []),
    ],
  };
}

function responseNoticeDoc(x: NotificationModels['response-notice']): Doc {
  const id = x.complaintId;
  return {
    subject: { zh: `投诉初步处理结果（${id}）`, en: `How we are handling your complaint (${id})` },
    tone: 'customer',
    tag: { zh: '处理意见', en: 'Handling plan' },
    intro: {
      zh: '您好，我们已调查您的投诉，初步处理结果与处理措施、时间安排如下：',
      en: 'Hello, we have looked into your complaint. Our initial result, the measures we take and when:',
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint number' }, value: id },
      { label: { zh: '处理意见', en: 'Our assessment' }, value: safe(x.opinion) },
      { label: { zh: '处理措施', en: 'Measures' }, value: safe(x.measures) },
      { label: { zh: '时间安排', en: 'Timetable' }, value: safe(x.timetable) },
      ...(x.followUpOwner ? [{ label: { zh: '跟进负责人', en: 'Followed up by' }, value: safe(x.followUpOwner) }] : []),
    ],
    outro: { zh: '处理完成后，我们将书面告知您处理结果。', en: 'When it is done, we will send you the result in writing.' },
  };
}

function pauseNoticeDoc(x: NotificationModels['pause-notice']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `您的投诉处理暂停，等待您的回复（${id}）`, en: `Your complaint is waiting for you (${id})` },
    tone: 'customer',
    tag: { zh: '处理进展', en: 'Progress' },
    intro: {
      zh: '您好，您的投诉处理需要您的配合，处理暂停，直至我们收到您的回复。',
      en: 'Hello, handling your complaint needs something from you; it is paused until we hear from you.',
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint number' }, value: id },
      { label: { zh: '暂停时间', en: 'Paused at' }, value: time(x.since, tz) },
      { label: { zh: '原因', en: 'Reason' }, value: safe(x.reason) },
    ],
  };
}

function resumeNoticeDoc(x: NotificationModels['resume-notice']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `您的投诉已继续处理（${id}）`, en: `We are handling your complaint again (${id})` },
    tone: 'customer',
    tag: { zh: '处理进展', en: 'Progress' },
    intro: { zh: '您好，感谢您的配合，我们已继续处理您的投诉。', en: 'Hello, thank you. We have resumed handling your complaint.' },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint number' }, value: id },
      { label: { zh: '继续处理时间', en: 'Resumed at' }, value: time(x.at, tz) },
    ],
  };
}

function reopenNoticeDoc(x: NotificationModels['reopen-notice']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `您的投诉已重新处理（${id}）`, en: `We are handling your complaint again (${id})` },
    tone: 'customer',
    tag: { zh: '重新处理', en: 'Reopened' },
    intro: {
      zh: '您好，您反馈问题尚未解决，我们已重新处理您的投诉，并提高了处理级别。',
      en: 'Hello, you told us the problem is not solved. We have reopened your complaint at a higher level.',
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint number' }, value: id },
      { label: { zh: '重新处理时间', en: 'Reopened at' }, value: time(x.at, tz) },
      ...(x.respondBy ? [{ label: { zh: '处理意见不晚于', en: 'Our plan by' }, value: time(x.respondBy, tz) }] : []),
    ],
  };
}

function resultNoticeDoc(x: NotificationModels['result-notice']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `投诉处理结果通知（${id}）`, en: `The result of your complaint (${id})` },
    tone: 'customer',
    tag: { zh: '处理结果', en: 'Result' },
    intro: { zh: '您好，您的投诉已处理完毕，处理结果如下：', en: 'Hello, your complaint has been handled. The result:' },
    facts: [
      { label: { zh: '解决了什么', en: 'What was solved' }, value: safe(x.resolution.what) },
      { label: { zh: '如何解决', en: 'How' }, value: safe(x.resolution.how) },
      {
        label: { zh: '后续事项', en: 'Follow-up' },
        value: x.resolution.followUp ? safe(x.resolution.followUp) : { zh: '无', en: 'none' },
      },
      { label: { zh: '问卷截止', en: 'Survey open until' }, value: time(x.surveyClosesAt, tz) },
    ],
    link: { url: x.surveyUrl, label: { zh: '问题解决了吗？请评价', en: 'Is it solved? Tell us' } },
    outro: {
      zh: '如问题仍未解决，请在问卷中选择"未解决"，我们将重新处理。',
      en: 'If it is not solved, answer "not solved" in the survey and we will handle it again.',
    },
  };
}

function managementIntakeDoc(x: NotificationModels['management-intake']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `【${x.severity === 'urgent' ? '紧急' : '重大'}投诉】${id}`, en: `[${x.severity}] complaint ${id}` },
    tone: 'alert',
    tag: { zh: x.severity === 'urgent' ? '紧急投诉 · H-24' : '重大投诉 · H-24', en: `${x.severity} complaint · H-24` },
    intro: {
      zh: '一件重大/紧急投诉已受理，需要管理层介入（H-24）。',
      en: 'A major or urgent complaint was received and needs management involvement (H-24).',
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint' }, value: id },
      { label: { zh: '受理时间', en: 'Received' }, value: time(x.receivedAt, tz) },
      { label: { zh: '严重程度', en: 'Severity' }, value: x.severity },
      { label: { zh: '业务类型', en: 'Service type' }, value: x.serviceType },
      { label: { zh: '责任团队', en: 'Team' }, value: x.team },
      { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(x.summary) },
      { label: { zh: '分类依据', en: 'Why' }, value: x.reasons.join('; ') },
      ...x.clocks.map((c) => ({ label: clockName(c), value: time(c.deadline, tz) })),
    ],
    ...(x.statusUrl ? { link: { url: x.statusUrl, label: { zh: '查看投诉', en: 'View the complaint' } } } : {}),
  };
}

function clockWarningDoc(x: NotificationModels['clock-warning']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  const left = span(parseInstant(x.clock.deadline) - parseInstant(x.now));
  return {
    subject: { zh: `【即将超时】${x.clock.id} 剩余${left.zh}（${id}）`, en: `[Due soon] ${x.clock.id}: ${left.en} left (${id})` },
    tone: 'warn',
    tag: { zh: '即将超时', en: 'Due soon' },
    highlight: { label: { zh: '剩余时间', en: 'Time left' }, value: left },
    intro: {
      zh: `投诉 ${id} 的时限 ${clockName(x.clock).zh} 将于 ${deadlineOf(x.clock, tz)} 到期，剩余${left.zh}。`,
      en: `Complaint ${id}: ${clockName(x.clock).en} is due at ${deadlineOf(x.clock, tz)}, ${left.en} left.`,
    },
    facts: [
      { label: { zh: '剩余时间', en: 'Time left' }, value: left },
      { label: { zh: '责任人', en: 'Owner' }, value: x.owner ?? { zh: '未派单', en: 'not dispatched yet' } },
      { label: { zh: '责任团队', en: 'Team' }, value: x.team },
      { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(x.summary) },
    ],
    ...(x.statusUrl ? { link: { url: x.statusUrl, label: { zh: '查看投诉', en: 'View the complaint' } } } : {}),
  };
}

function clockEscalationDoc(x: NotificationModels['clock-escalation']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  const late = span(parseInstant(x.now) - parseInstant(x.clock.deadline));
  const to = LEVEL_TO[x.level] ?? { zh: `第${x.level}级`, en: `level ${x.level}` };
  return {
    subject: {
      zh: `【超时升级 ${x.level}级】${x.clock.id} 已超时${late.zh}（${id}）`,
      en: `[Escalation level ${x.level}] ${x.clock.id} overdue by ${late.en} (${id})`,
    },
    tone: 'alert',
    tag: { zh: `超时升级 · 第${x.level}级`, en: `Escalation level ${x.level}` },
    highlight: { label: { zh: '已超时', en: 'Overdue by' }, value: late },
    intro: {
      zh: `投诉 ${id} 的时限 ${clockName(x.clock).zh} 已于 ${deadlineOf(x.clock, tz)} 到期，现升级至${to.zh}。请确认并跟进；未确认将继续升级。`,
      en: `Complaint ${id}: ${clockName(x.clock).en} was due at ${deadlineOf(x.clock, tz)} and is escalated to ${to.en}. Please acknowledge and act; unacknowledged, it moves to the next level.`,
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint' }, value: id },
      { label: { zh: '时限', en: 'Clock' }, value: clockName(x.clock) },
      { label: { zh: '截止时间', en: 'Deadline' }, value: deadlineOf(x.clock, tz) },
      { label: { zh: '已超时', en: 'Overdue by' }, value: late },
      { label: { zh: '升级级别', en: 'Level' }, value: String(x.level) },
      { label: { zh: '责任人', en: 'Owner' }, value: x.owner ?? { zh: '未派单', en: 'not dispatched yet' } },
      { label: { zh: '责任团队', en: 'Team' }, value: x.team },
      { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(x.summary) },
    ],
    link: { url: x.ackUrl, label: { zh: '确认已知悉', en: 'Acknowledge' } },
  };
}

function surveyReminderDoc(x: NotificationModels['survey-reminder']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `请评价您的投诉处理结果（${id}）`, en: `How did we do? (${id})` },
    tone: 'customer',
    tag: { zh: '满意度回访', en: 'Satisfaction survey' },
    intro: {
      zh: `您好，您的投诉 ${id} 已处理完毕。问题解决了吗？问卷将于 ${time(x.closesAt, tz)} 关闭。`,
      en: `Hello, your complaint ${id} has been handled. Is it solved? The survey closes at ${time(x.closesAt, tz)}.`,
    },
    facts: [],
    link: { url: x.surveyUrl, label: { zh: '填写问卷', en: 'Answer the survey' } },
  };
}

function emailRejectedDoc(x: NotificationModels['email-rejected']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `【需人工处理】员工邮件被拒收（${id}）`, en: `[Action needed] staff email refused (${id})` },
    tone: 'alert',
    tag: { zh: '邮件被拒收', en: 'Email refused' },
    intro: {
      zh: `投诉 ${id} 的一封员工通知被邮件服务拒收，流程继续运行。请检查联系人名单与 SES 已验证身份（沙箱模式下收件人须经验证）。`,
      en: `A staff notification of complaint ${id} was refused by the mail service; the loop goes on. Check the contact list and the SES verified identities (in the SES sandbox every recipient must be verified).`,
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint' }, value: id },
      { label: { zh: '时间', en: 'At' }, value: time(x.now, tz) },
      { label: { zh: '通知', en: 'Notification' }, value: x.notification },
      { label: { zh: '原因', en: 'Reason' }, value: briefSummary(x.reason, 1000) },
    ],
  };
}

function failureDoc(x: NotificationModels['failure']): Doc {
  const id = x.complaintId;
  const tz = x.timeZone;
  return {
    subject: { zh: `【需人工处理】投诉流程中断（${id}）`, en: `[Action needed] complaint loop stopped (${id})` },
    tone: 'alert',
    tag: { zh: '需人工处理', en: 'Action needed' },
    intro: {
      zh: `投诉 ${id} 的自动流程无法继续，请人工接手处理。`,
      en: `The automated loop for complaint ${id} cannot go on. A person must take it over.`,
    },
    facts: [
      { label: { zh: '投诉编号', en: 'Complaint' }, value: id },
      { label: { zh: '时间', en: 'At' }, value: time(x.now, tz) },
      ...(x.milestone ? [{ label: { zh: '所处阶段', en: 'Milestone' }, value: x.milestone }] : []),
      ...(x.team ? [{ label: { zh: '责任团队', en: 'Team' }, value: x.team }] : []),
      { label: { zh: '错误', en: 'Error' }, value: safe(x.error) },
      ...(x.cause ? [{ label: { zh: '原因', en: 'Cause' }, value: briefSummary(x.cause, 1000) }] : []),
    ],
  };
}

/** Each kind's content; the renderers below lay it out as text and HTML. */
const DOCS: { readonly [K in RenderKind]: (model: NotificationModels[K]) => Doc } = {
  'intake-acknowledgment': intakeAcknowledgmentDoc,
  'response-notice': responseNoticeDoc,
  'pause-notice': pauseNoticeDoc,
  'resume-notice': resumeNoticeDoc,
  'reopen-notice': reopenNoticeDoc,
  'result-notice': resultNoticeDoc,
  'management-intake': managementIntakeDoc,
  'clock-warning': clockWarningDoc,
  'clock-escalation': clockEscalationDoc,
  'survey-reminder': surveyReminderDoc,
  'email-rejected': emailRejectedDoc,
  failure: failureDoc,
};

function build<K extends RenderKind>(kind: K, m: NotificationModels[K]): Doc {
  const doc = DOCS[kind] as ((model: NotificationModels[K]) => Doc) | undefined;
  if (!doc) throw new TypeError(`unknown notification kind ${String(kind)}`);
  return doc(m);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const pick = (v: string | Bi, lang: Lang) => (typeof v === 'string' ? v : v[lang]);

/** The languages of one email, in order: ['zh', 'en'] (bilingual), ['zh'] or ['en']. */
export type Lang = 'zh' | 'en';
export type Languages = readonly [Lang] | readonly ['zh', 'en'];
export const BILINGUAL: Languages = ['zh', 'en'];

/** H-31: a customer's languages: the complaint's own, or both when the carrier's settings say so. */
export function customerLanguages(language: 'zh-CN' | 'en', setting: 'complaint' | 'both'): Languages {
  if (setting === 'both') return BILINGUAL;
  return language === 'en' ? ['en'] : ['zh'];
}

export interface RenderOptions {
  /** @default bilingual */
  readonly languages?: Languages;
  /**
   * Leave link addresses out (the label stays): for the text an SMS gateway receives in an
   * event, which must never carry a link token; the gateway asks the API for the link.
   */
  readonly withoutLinks?: boolean;
}

function textPart(doc: Doc, lang: Lang, withoutLinks: boolean): string {
  const colon = lang === 'zh' ? '：' : ': ';
  const lines = [doc.intro[lang], ''];
  for (const f of doc.facts) lines.push(`${f.label[lang]}${colon}${pick(f.value, lang)}`);
  if (doc.link && !withoutLinks) lines.push('', `${doc.link.label[lang]}${colon}${doc.link.url}`);
  if (doc.link && withoutLinks) lines.push('', doc.link.label[lang]);
  if (doc.outro) lines.push('', doc.outro[lang]);
  return lines.join('\n');
}

/*
 * Email-safe HTML: layout tables, inline styles only, no images, no CSS classes, a 600px column
 * that shrinks on phones. Bilingual mail has zh-CN first, English below each line. Exactly one button (the action),
 * so a supervisor cannot pick the wrong link. Colours keep a contrast of at least 4.5:1.
 */
const TONES: Record<Tone, { readonly band: string; readonly tagBg: string }> = {
  customer: { band: '#0a56c2', tagBg: '#08459c' },
  info: { band: '#37474f', tagBg: '#263238' },
  warn: { band: '#8a4b00', tagBg: '#6b3a00' },
  alert: { band: '#b3261e', tagBg: '#8c1d18' },
};
const FONT = "-apple-system,BlinkMacSystemFont,'PingFang SC','Hiragino Sans GB','Microsoft YaHei',Arial,sans-serif";
const EN = 'color:#4a5361';

const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

/** Builds the HTML parts for one email's languages (the first is the main one). */
function htmlWriter(langs: Languages) {
  const main = langs[0];
  const second = langs[1];
  return {
    /** A fact's label or value: the main language, the second below it. */
    block(v: string | Bi, enStyle = EN): string {
      if (typeof v === 'string') return escapeHtml(v);
      if (!second || v.zh === v.en) return escapeHtml(v[main]);
      return `<span lang="zh-CN">${escapeHtml(v.zh)}</span><br><span lang="en" style="${enStyle}">${escapeHtml(v.en)}</span>`;
    },
    /** Short text on one line (tags, labels, buttons): 'zh · en' or one language. */
    inline(v: Bi): string {
      return second ? `${escapeHtml(v.zh)} · <span lang="en">${escapeHtml(v.en)}</span>` : escapeHtml(v[main]);
    },
    /** Paragraphs, one per language; `styles` per language. */
    paragraphs(v: Bi, styles: Record<Lang, string>): string {
      return langs.map((l) => `<div lang="${HTML_LANG[l]}" style="${styles[l]}">${escapeHtml(v[l])}</div>`).join('');
    },
  };
}

type HtmlWriter = ReturnType<typeof htmlWriter>;
type ToneColours = (typeof TONES)[Tone];

/** The coloured band: the tag, then the subject in each language. */
function htmlHeader(doc: Doc, langs: Languages, w: HtmlWriter, tone: ToneColours): string {
  const tag = doc.tag
    ? `<tr><td style="padding:0 0 10px"><span style="display:inline-block;background:${tone.tagBg};color:#ffffff;font-size:12px;font-weight:700;letter-spacing:.04em;padding:3px 10px;border-radius:12px">${w.inline(doc.tag)}</span></td></tr>`
    : '';
  const subjectRows = langs
    .map((l, i) =>
      i === 0
        ? `<tr><td lang="${HTML_LANG[l]}" style="font-size:20px;line-height:1.35;font-weight:700;color:#ffffff">${escapeHtml(doc.subject[l])}</td></tr>`
        : `<tr><td lang="${HTML_LANG[l]}" style="font-size:15px;line-height:1.4;color:#ffffff;padding-top:4px">${escapeHtml(doc.subject[l])}</td></tr>`,
    )
    .join('');
  return (
    `<tr><td style="background:${tone.band};padding:20px 24px;color:#ffffff"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${tag}` +
    subjectRows +
    `</table></td></tr>`
  );
}

/** Styles of the main language and of the second one, if any. */
function byLanguage(langs: Languages, main: string, second: string): Record<Lang, string> {
  return { [langs[0]]: main, [langs[1] ?? 'en']: second } as Record<Lang, string>;
}

function htmlHighlight(doc: Doc, langs: Languages, w: HtmlWriter, tone: ToneColours): string {
  if (!doc.highlight) return '';
  return (
    `<tr><td style="padding:20px 24px 0"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-left:4px solid ${tone.band};background:#f4f6f8">` +
    `<tr><td style="padding:12px 16px"><div style="font-size:13px;color:#4a5361">${w.inline(doc.highlight.label)}</div>` +
    w.paragraphs(
      doc.highlight.value,
      byLanguage(langs, `font-size:26px;line-height:1.3;font-weight:700;color:${tone.band}`, 'font-size:15px;color:#1b1f24'),
    ) +
    `</td></tr></table></td></tr>`
  );
}

function htmlFacts(doc: Doc, w: HtmlWriter): string {
  const rows = doc.facts
    .map(
      (f, i) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;width:38%;padding:10px 12px 10px 0;font-size:13px;font-weight:600;color:#4a5361;${i ? 'border-top:1px solid #e3e7ec;' : ''}">${w.block(f.label, 'font-weight:400')}</th>` +
        `<td style="vertical-align:top;padding:10px 0;font-size:15px;color:#1b1f24;word-break:break-word;${i ? 'border-top:1px solid #e3e7ec;' : ''}">${w.block(f.value)}</td></tr>`,
    )
    .join('');
  return rows
    ? `<tr><td style="padding:16px 24px 0"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse">${rows}</table></td></tr>`
    : '';
}

function htmlButton(doc: Doc, w: HtmlWriter, tone: ToneColours): string {
  if (!doc.link) return '';
  return (
    `<tr><td style="padding:24px 24px 0"><table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr><td style="background:${tone.band};border-radius:8px">` +
    `<a href="${escapeHtml(doc.link.url)}" style="display:inline-block;padding:14px 28px;font-size:16px;font-weight:700;color:#ffffff;text-decoration:none;border-radius:8px">${w.inline(doc.link.label)}</a>` +
    `</td></tr></table>` +
    // The address as plain text, not a second link: for clients that block buttons.
    `<div style="padding-top:10px;font-size:12px;color:#4a5361;word-break:break-all">${w.inline(COPY_ADDRESS)}<br>${escapeHtml(doc.link.url)}</div></td></tr>`
  );
}

function htmlBody(doc: Doc, langs: Languages): string {
  const w = htmlWriter(langs);
  const tone = TONES[doc.tone ?? 'info'];
  const intro =
    `<tr><td style="padding:20px 24px 0">` +
    w.paragraphs(doc.intro, byLanguage(langs, 'margin:0 0 8px;color:#1b1f24', `margin:0;${EN}`)) +
    `</td></tr>`;
  const outro = doc.outro
    ? `<tr><td style="padding:20px 24px 0;font-size:14px">${w.paragraphs(doc.outro, byLanguage(langs, 'color:#1b1f24', EN))}</td></tr>`
    : '';
  const footer = `<tr><td style="padding:24px;font-size:12px;color:#4a5361">${w.inline(FOOTER)}</td></tr>`;
  return (
    `<span style="display:none;font-size:1px;color:#f4f6f8;max-height:0;max-width:0;opacity:0;overflow:hidden">${escapeHtml(doc.intro[langs[0]])}</span>` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f6f8"><tr><td align="center" style="padding:16px 8px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid #d5dae1;border-radius:10px;overflow:hidden;font-family:${FONT};font-size:15px;line-height:1.6;color:#1b1f24">` +
    htmlHeader(doc, langs, w, tone) +
    htmlHighlight(doc, langs, w, tone) +
    intro +
    htmlFacts(doc, w) +
    htmlButton(doc, w, tone) +
    outro +
    footer +
    `</table></td></tr></table>`
  );
}

const COPY_ADDRESS: Bi = { zh: '如按钮无法打开，请复制此地址', en: 'If the button does not work, copy this address:' };
const FOOTER: Bi = {
  zh: '此邮件由投诉处理系统自动发送，请勿直接回复。',
  en: 'Sent automatically by the complaint service; please do not reply.',
};

export function renderNotification<K extends RenderKind>(
  kind: K,
  model: NotificationModels[K],
  options: RenderOptions = {},
): RenderedNotification {
  const doc = build(kind, model);
  const langs = options.languages ?? BILINGUAL;
  const withoutLinks = options.withoutLinks ?? false;
  const subject = langs.map((l) => doc.subject[l]).join(' / ');
  const text =
    langs.length === 2
      ? `${textPart(doc, 'zh', withoutLinks)}\n\n---- English ----\n\n${textPart(doc, 'en', withoutLinks)}\n`
      : `${textPart(doc, langs[0], withoutLinks)}\n`;
  const html =
    `<!DOCTYPE html><html lang="${HTML_LANG[langs[0]]}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="color-scheme" content="light"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f4f6f8">` +
    htmlBody(doc, langs) +
    `</body></html>`;
  return { subject, text, html };
}
