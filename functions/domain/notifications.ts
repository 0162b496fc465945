/**
 * Notification bodies (pure): zh-CN first, English below, as text and simple inline-styled
 * HTML. The model carries everything (links, instants, time zone); times are shown in the
 * policy's time zone. Free text that could hold personal data (the customer's description, staff
 * write-ups) is always passed through redactPersonalData (H-42), and everything is HTML-escaped.
 */
import { describeMs, formatLocal, parseInstant } from './calendar';
import { redactPersonalData } from './masking';

export const RENDER_KINDS = [
  'intake-acknowledgment',
  'result-notice',
  'management-intake',
  'clock-warning',
  'clock-escalation',
  'survey-reminder',
  'failure',
] as const;
export type RenderKind = (typeof RENDER_KINDS)[number];

export interface ClockRef {
  readonly id: string;
  readonly clause: string;
  readonly title: { readonly zh: string; readonly en: string };
  readonly deadline: string;
}

interface Base {
  readonly complaintId: string;
  /** IANA zone the times are shown in (policy timeZone). */
  readonly timeZone: string;
}

export interface NotificationModels {
  /** To the customer: we have your complaint (H-31). */
  'intake-acknowledgment': Base & { readonly receivedAt: string; readonly firstResponseBy?: string };
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
  'clock-warning': Base & { readonly now: string; readonly clock: ClockRef; readonly owner?: string; readonly team: string; readonly summary: string; readonly statusUrl?: string };
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
  /** The loop could not go on: a person must take over. */
  failure: Base & { readonly now: string; readonly error: string; readonly cause?: string; readonly milestone?: string; readonly team?: string };
}

export interface RenderedNotification {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

type Bi = { readonly zh: string; readonly en: string };
interface Doc {
  readonly subject: Bi;
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
const clockName = (c: ClockRef): Bi => ({ zh: `${c.id} ${c.title.zh}（${c.clause}）`, en: `${c.id} ${c.title.en} (${c.clause})` });
const LEVEL_TO: Record<number, Bi> = { 1: { zh: '主管', en: 'supervisor' }, 2: { zh: '管理层', en: 'management' } };

function build<K extends RenderKind>(kind: K, m: NotificationModels[K]): Doc {
  const id = m.complaintId;
  const tz = m.timeZone;
  switch (kind) {
    case 'intake-acknowledgment': {
      const x = m as NotificationModels['intake-acknowledgment'];
      return {
        subject: { zh: `您的投诉已受理（${id}）`, en: `We have received your complaint (${id})` },
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
    case 'result-notice': {
      const x = m as NotificationModels['result-notice'];
      return {
        subject: { zh: `投诉处理结果通知（${id}）`, en: `The result of your complaint (${id})` },
        intro: { zh: '您好，您的投诉已处理完毕，处理结果如下：', en: 'Hello, your complaint has been handled. The result:' },
        facts: [
          { label: { zh: '解决了什么', en: 'What was solved' }, value: safe(x.resolution.what) },
          { label: { zh: '如何解决', en: 'How' }, value: safe(x.resolution.how) },
          { label: { zh: '后续事项', en: 'Follow-up' }, value: x.resolution.followUp ? safe(x.resolution.followUp) : { zh: '无', en: 'none' } },
          { label: { zh: '问卷截止', en: 'Survey open until' }, value: time(x.surveyClosesAt, tz) },
        ],
        link: { url: x.surveyUrl, label: { zh: '问题解决了吗？请评价', en: 'Is it solved? Tell us' } },
        outro: { zh: '如问题仍未解决，请在问卷中选择"未解决"，我们将重新处理。', en: 'If it is not solved, answer "not solved" in the survey and we will handle it again.' },
      };
    }
    case 'management-intake': {
      const x = m as NotificationModels['management-intake'];
      return {
        subject: { zh: `【${x.severity === 'urgent' ? '紧急' : '重大'}投诉】${id}`, en: `[${x.severity}] complaint ${id}` },
        intro: { zh: '一件重大/紧急投诉已受理，需要管理层介入（H-24）。', en: 'A major or urgent complaint was received and needs management involvement (H-24).' },
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
    case 'clock-warning': {
      const x = m as NotificationModels['clock-warning'];
      const left = span(parseInstant(x.clock.deadline) - parseInstant(x.now));
      return {
        subject: { zh: `【即将超时】${x.clock.id} 剩余${left.zh}（${id}）`, en: `[Due soon] ${x.clock.id}: ${left.en} left (${id})` },
        intro: {
          zh: `投诉 ${id} 的时限 ${clockName(x.clock).zh} 将于 ${time(x.clock.deadline, tz)} 到期，剩余${left.zh}。`,
          en: `Complaint ${id}: ${clockName(x.clock).en} is due at ${time(x.clock.deadline, tz)}, ${left.en} left.`,
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
    case 'clock-escalation': {
      const x = m as NotificationModels['clock-escalation'];
      const late = span(parseInstant(x.now) - parseInstant(x.clock.deadline));
      const to = LEVEL_TO[x.level] ?? { zh: `第${x.level}级`, en: `level ${x.level}` };
      return {
        subject: { zh: `【超时升级 ${x.level}级】${x.clock.id} 已超时${late.zh}（${id}）`, en: `[Escalation level ${x.level}] ${x.clock.id} overdue by ${late.en} (${id})` },
        intro: {
          zh: `投诉 ${id} 的时限 ${clockName(x.clock).zh} 已于 ${time(x.clock.deadline, tz)} 到期，现升级至${to.zh}。请确认并跟进；未确认将继续升级。`,
          en: `Complaint ${id}: ${clockName(x.clock).en} was due at ${time(x.clock.deadline, tz)} and is escalated to ${to.en}. Please acknowledge and act; unacknowledged, it moves to the next level.`,
        },
        facts: [
          { label: { zh: '投诉编号', en: 'Complaint' }, value: id },
          { label: { zh: '时限', en: 'Clock' }, value: clockName(x.clock) },
          { label: { zh: '截止时间', en: 'Deadline' }, value: time(x.clock.deadline, tz) },
          { label: { zh: '已超时', en: 'Overdue by' }, value: late },
          { label: { zh: '升级级别', en: 'Level' }, value: String(x.level) },
          { label: { zh: '责任人', en: 'Owner' }, value: x.owner ?? { zh: '未派单', en: 'not dispatched yet' } },
          { label: { zh: '责任团队', en: 'Team' }, value: x.team },
          { label: { zh: '问题简述', en: 'Issue in brief' }, value: briefSummary(x.summary) },
        ],
        link: { url: x.ackUrl, label: { zh: '确认已知悉', en: 'Acknowledge' } },
      };
    }
    case 'survey-reminder': {
      const x = m as NotificationModels['survey-reminder'];
      return {
        subject: { zh: `请评价您的投诉处理结果（${id}）`, en: `How did we do? (${id})` },
        intro: {
          zh: `您好，您的投诉 ${id} 已处理完毕。问题解决了吗？问卷将于 ${time(x.closesAt, tz)} 关闭。`,
          en: `Hello, your complaint ${id} has been handled. Is it solved? The survey closes at ${time(x.closesAt, tz)}.`,
        },
        facts: [],
        link: { url: x.surveyUrl, label: { zh: '填写问卷', en: 'Answer the survey' } },
      };
    }
    case 'failure': {
      const x = m as NotificationModels['failure'];
      return {
        subject: { zh: `【需人工处理】投诉流程中断（${id}）`, en: `[Action needed] complaint loop stopped (${id})` },
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
  }
  throw new TypeError(`unknown notification kind ${String(kind)}`);
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const pick = (v: string | Bi, lang: 'zh' | 'en') => (typeof v === 'string' ? v : v[lang]);

function textPart(doc: Doc, lang: 'zh' | 'en'): string {
  const lines = [doc.intro[lang], ''];
  for (const f of doc.facts) lines.push(`${f.label[lang]}${lang === 'zh' ? '：' : ': '}${pick(f.value, lang)}`);
  if (doc.link) lines.push('', `${doc.link.label[lang]}${lang === 'zh' ? '：' : ': '}${doc.link.url}`);
  if (doc.outro) lines.push('', doc.outro[lang]);
  return lines.join('\n');
}

function htmlPart(doc: Doc, lang: 'zh' | 'en'): string {
  const rows = doc.facts
    .map(
      (f) =>
        `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 12px 4px 0;color:#444;font-weight:600">${escapeHtml(f.label[lang])}</th>` +
        `<td style="padding:4px 0;color:#111">${escapeHtml(pick(f.value, lang))}</td></tr>`,
    )
    .join('');
  const link = doc.link
    ? `<p style="margin:16px 0"><a href="${escapeHtml(doc.link.url)}" style="display:inline-block;padding:10px 16px;background:#0b57d0;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(doc.link.label[lang])}</a></p>`
    : '';
  return (
    `<div lang="${lang === 'zh' ? 'zh-CN' : 'en'}" style="margin:0 0 24px">` +
    `<p style="margin:0 0 12px;color:#111">${escapeHtml(doc.intro[lang])}</p>` +
    (rows ? `<table role="presentation" style="border-collapse:collapse;font-size:14px">${rows}</table>` : '') +
    link +
    (doc.outro ? `<p style="margin:12px 0 0;color:#444">${escapeHtml(doc.outro[lang])}</p>` : '') +
    `</div>`
  );
}

export function renderNotification<K extends RenderKind>(kind: K, model: NotificationModels[K]): RenderedNotification {
  const doc = build(kind, model);
  const subject = `${doc.subject.zh} / ${doc.subject.en}`;
  const text = `${textPart(doc, 'zh')}\n\n---- English ----\n\n${textPart(doc, 'en')}\n`;
  const html =
    `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:16px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Arial,sans-serif;font-size:15px;line-height:1.6;background:#ffffff">` +
    htmlPart(doc, 'zh') +
    `<hr style="border:none;border-top:1px solid #ddd;margin:16px 0">` +
    htmlPart(doc, 'en') +
    `</body></html>`;
  return { subject, text, html };
}
