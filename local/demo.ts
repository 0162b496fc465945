/**
 * `npm run demo`: against a running `npm start`, posts a handful of realistic complaints (Chinese
 * and English, every channel, severity and service type), drives some through to closure with
 * lifecycle events and the survey link from the local SES email, leaves some to breach, pauses
 * one, and shows a live table of their clocks and escalations as they change.
 *
 * Steps are timed in the loop's own (virtual) time, read from each complaint's `asOf`, so the
 * demo is the same story at any --time-scale; at 600 it plays out in a few minutes.
 */
import { randomBytes } from 'node:crypto';
import { FlagError, parseFlags } from './flags';
import { signRequest } from './signed-fetch';

export const DEMO_USAGE = `Usage: npm run demo -- [--api URL] [--ses URL] [--interval MS] [--duration S] [--plain]

Runs against a stack started with npm start (in another terminal). Best with a time scale, so
deadlines pass in minutes instead of hours:

    npm start -- --time-scale 600      # 10 virtual minutes per real second
    npm run demo

  --api URL       the local API (default http://127.0.0.1:3000)
  --ses URL       the local SES (default: read from the API's index page)
  --interval MS   refresh period of the table (default 1000)
  --duration S    stop after S real seconds (default: until Ctrl-C)
  --plain         append instead of redrawing (default when the output is not a terminal)
  --help          this text

Ctrl-C stops the demo (the stack keeps running; its complaints stay).`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const TIME_ZONE = 'Asia/Shanghai';

/** A problem the user can act on: printed without a stack trace. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

// ---- scenarios ----------------------------------------------------------------------------------

type Body = Record<string, unknown>;

interface Step {
  /** Virtual time after the previous step (or after registration, for the first). */
  readonly gap: number;
  /** Extra condition on the complaint (e.g. the survey is open). */
  readonly when?: (v: View) => boolean;
  readonly label: string;
  readonly action: { kind: 'event'; type: string; fields?: Body } | { kind: 'survey'; solved: boolean; score: number; comment: string };
}

export interface Scenario {
  readonly key: string;
  /** What the demo does with it, shown in the table. */
  readonly plan: string;
  readonly body: Body;
  readonly steps: readonly Step[];
}

const ev = (gap: number, type: string, fields?: Body, when?: (v: View) => boolean): Step => ({
  gap,
  when,
  label: type,
  action: { kind: 'event', type, fields },
});
const survey = (solved: boolean, score: number, comment: string): Step => ({
  gap: 30 * MINUTE,
  when: (v) => v.status === 'surveying',
  label: `survey: ${solved ? 'solved' : 'not solved'}`,
  action: { kind: 'survey', solved, score, comment },
});

function attribution(description: string, scope: string, occurredAt: string, affectedParty: string, measures: string): Body {
  return { attribution: { description, scope, occurredAt, affectedParty, measures } };
}

/** The complaints of one demo run; `t` is a virtual instant shortly before they are posted. */
function broadbandScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'broadband',
    plan: 'closes (survey: solved)',
    body: {
      customerId: 'cust-310115-0042',
      contact: { phone: '+86 138 0013 8000', email: 'zhang.wei@example.net' },
      channel: 'phone',
      source: 'external',
      serviceType: 'data',
      severityHint: 'general',
      language: 'zh-CN',
      occurredAt: ago(3 * HOUR),
      description: '家里光纤宽带最近一周每天晚上8点到11点频繁掉线，重启光猫也没用，孩子上网课受影响，希望尽快派人上门检查。',
    },
    steps: [
      ev(5 * MINUTE, 'dispatched', { owner: 'li.wei', team: 'network-operations' }),
      ev(3 * MINUTE, 'acknowledged', { note: '已致电用户，约定明早上门检测 / called back, visit booked for tomorrow morning' }),
      ev(
        HOUR,
        'investigated',
        attribution('小区光交箱分光器端口老化，晚高峰丢包', '该光交箱下约 60 户', ago(7 * 24 * HOUR), '该小区宽带用户', '更换分光器并复测'),
      ),
      ev(2 * HOUR, 'responded', {
        opinion: '今日更换分光器，更换后连续观察三晚',
        measures: '更换分光器端口',
        timetable: '今日 18:00 前完成',
        followUpOwner: 'li.wei',
      }),
      ev(5 * HOUR, 'resolved', { resolution: { what: '晚间宽带掉线', how: '更换老化分光器，复测三晚无丢包', followUp: '一周后回访' } }),
      survey(true, 5, '师傅很专业，现在很稳定'),
    ],
  };
}

function signalScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'signal',
    plan: 'closes (survey: solved)',
    body: {
      customerId: 'cust-310115-7781',
      contact: { email: 'emma.clark@example.net' },
      channel: 'online',
      source: 'external',
      serviceType: 'network',
      severityHint: 'minor',
      language: 'en',
      occurredAt: ago(2 * 24 * HOUR),
      description:
        'Since the new tower block next door went up, 4G signal in my flat (Pudong, 12th floor) drops to one bar and calls cut out indoors. Outdoors it is fine.',
    },
    steps: [
      ev(4 * MINUTE, 'acknowledged', { note: 'Replied in the app chat; drive test scheduled' }),
      ev(6 * MINUTE, 'dispatched', { owner: 'chen.jing', team: 'network-operations' }),
      ev(
        2 * HOUR,
        'investigated',
        attribution(
          'New building shadows the sector antenna towards the flat',
          'Floors 8 to 15 of two buildings',
          ago(30 * 24 * HOUR),
          'About 80 subscribers',
          'Re-tilt the antenna; add an indoor small cell',
        ),
      ),
      ev(2 * HOUR, 'responded', {
        opinion: 'Antenna re-tilt tonight; small cell within a week if needed',
        measures: 'Re-tilt the sector antenna; survey for a small cell',
        timetable: 'Re-tilt tonight by 23:00; small cell decision within 7 days',
        followUpOwner: 'chen.jing',
      }),
      ev(5 * HOUR, 'resolved', {
        resolution: {
          what: 'Weak indoor 4G signal',
          how: 'Antenna re-tilted; indoor signal now 3 to 4 bars',
          followUp: 'Check again in two weeks',
        },
      }),
      survey(true, 4, 'Much better now, thanks.'),
    ],
  };
}

function routerScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'router',
    plan: 'reopened, then closes',
    body: {
      customerId: 'cust-310104-1203',
      contact: { phone: '+86 139 1772 4410', email: 'wang.fang@example.net' },
      channel: 'on-site',
      source: 'external',
      serviceType: 'device',
      severityHint: 'general',
      language: 'zh-CN',
      occurredAt: ago(5 * 24 * HOUR),
      description: '在营业厅购买的路由器用了两周就频繁死机，每天都要断电重启，要求更换新机。',
    },
    steps: [
      ev(6 * MINUTE, 'dispatched', { owner: 'zhou.min', team: 'customer-service' }),
      ev(3 * MINUTE, 'acknowledged'),
      ev(HOUR, 'investigated', attribution('路由器固件缺陷，高负载时死机', '同批次设备', ago(14 * 24 * HOUR), '该用户', '升级固件')),
      ev(HOUR, 'responded', {
        opinion: '远程升级固件，观察两天',
        measures: '远程升级光猫固件',
        timetable: '今日完成升级，观察两天',
        followUpOwner: 'zhou.min',
      }),
      ev(3 * HOUR, 'resolved', { resolution: { what: '路由器死机', how: '远程升级固件', followUp: '' } }),
      survey(false, 2, '升级后还是死机'),
      // H-34: the customer said not solved; the workflow reopens at the handling opinion.
      ev(
        HOUR,
        'responded',
        { opinion: '为用户更换同型号新机', measures: '上门更换同型号新机', timetable: '明日上门更换', followUpOwner: 'zhou.min' },
        (v) => v.reopenCount > 0 && v.milestone === 'handling-opinion',
      ),
      ev(4 * HOUR, 'resolved', { resolution: { what: '路由器死机', how: '上门更换新机，连续运行48小时无死机', followUp: '一周后回访' } }),
      survey(true, 4, '换了新机，好了'),
    ],
  };
}

function dataLeakScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'data-leak',
    plan: 'left alone: breaches',
    body: {
      customerId: 'cust-440305-5519',
      contact: { phone: '+86 136 2288 0917' },
      channel: 'third-party-platform',
      source: 'third-party',
      serviceType: 'information-security',
      severityHint: 'major',
      language: 'zh-CN',
      occurredAt: ago(3 * 24 * HOUR),
      description:
        '工信部申诉平台转来：用户反映其手机号码和身份信息疑似被泄露，近三天收到大量冒充客服的诈骗电话和短信，要求查明泄露原因并处理。',
    },
    steps: [],
  };
}

function outageScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'outage',
    plan: 'contacted, then breaches',
    body: {
      customerId: 'cust-310101-0088',
      contact: { phone: '+86 21 6321 0000', email: 'building.manager@example.net' },
      channel: 'phone',
      source: 'external',
      serviceType: 'network',
      severityHint: 'urgent',
      language: 'en',
      occurredAt: ago(2 * HOUR),
      description:
        'The whole building at 88 Huaihai Road has had no mobile signal since 07:00; residents cannot call anyone, including emergency numbers. An elderly resident needs to reach her doctor.',
    },
    steps: [
      ev(3 * MINUTE, 'dispatched', { owner: 'zhao.lei', team: 'network-operations' }),
      ev(2 * MINUTE, 'acknowledged', { note: 'Called the building manager; engineers on the way' }),
    ],
  };
}

function throttledScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'throttled',
    plan: 'paused (customer away)',
    body: {
      customerId: 'cust-320506-3310',
      contact: { phone: '+86 150 0621 7788', email: 'liu.yang@example.net' },
      channel: 'online',
      source: 'external',
      serviceType: 'data',
      severityHint: 'minor',
      language: 'zh-CN',
      occurredAt: ago(24 * HOUR),
      description: '手机流量套餐显示还剩 5GB，但网速被限到 128kbps，在 APP 里查不到原因。',
    },
    steps: [
      ev(5 * MINUTE, 'acknowledged'),
      ev(2 * MINUTE, 'dispatched', { owner: 'sun.hao', team: 'customer-service' }),
      ev(30 * MINUTE, 'paused', { reason: '用户出差，约定下周回来后一起测速 / customer away until next week for a joint speed test' }),
    ],
  };
}

function simSwapScenario(ago: (ms: number) => string): Scenario {
  return {
    key: 'sim-swap',
    plan: 'left alone: breaches',
    body: {
      customerId: 'cust-310104-9034',
      contact: { email: 'store.xuhui@example.net' },
      channel: 'on-site',
      source: 'internal',
      serviceType: 'device',
      severityHint: 'general',
      language: 'en',
      occurredAt: ago(HOUR),
      description:
        "Xuhui store: after a SIM swap, a customer's new phone cannot register on 5G standalone; the store team could not fix it on the spot.",
    },
    steps: [],
  };
}

/** The demo's complaints, their occurredAt relative to `t` (epoch ms). */
export function demoScenarios(t: number): Scenario[] {
  const ago = (ms: number) => new Date(t - ms).toISOString();
  return [
    broadbandScenario(ago),
    signalScenario(ago),
    routerScenario(ago),
    dataLeakScenario(ago),
    outageScenario(ago),
    throttledScenario(ago),
    simSwapScenario(ago),
  ];
}

// ---- what GET /complaints/{id} answers (the fields the demo reads) ------------------------------

interface ClockView {
  id: string;
  status: 'running' | 'paused' | 'met' | 'met-late' | 'breached';
  deadline: string;
  warned: boolean;
  warningsSkipped?: number;
  escalationLevel: number;
  escalations: { level: number; to: string; at: string }[];
}

export interface View {
  id: string;
  status: string;
  milestone: string | null;
  receivedAt: string;
  points: Record<string, string>;
  classification: { severity: string; team: string } | null;
  escalationLevel: number;
  reopenCount: number;
  pause: { since: string; reason: string } | null;
  clocks: ClockView[];
  asOf: string;
}

/** One complaint of the run as the table shows it (also what runDemo resolves with). */
export interface DemoRow {
  readonly scenario: Scenario;
  id: string;
  view?: View;
  /** Index of the next step to run. */
  next: number;
  /** Virtual instant the previous step was done (registration for the first). */
  lastDoneAt?: number;
  /** A step that keeps failing: the reason, shown in the table. */
  stuck?: string;
  failures: number;
  emails: number;
  usedLinks: Set<string>;
}

interface CapturedEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string };
  at: number;
}

// ---- formatting ---------------------------------------------------------------------------------

/** Columns in a terminal: CJK and full-width characters take two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    w += wide ? 2 : 1;
  }
  return w;
}

function pad(s: string, n: number): string {
  let out = s;
  if (width(out) > n) {
    out = '';
    for (const ch of s) {
      if (width(out + ch) > n - 1) break;
      out += ch;
    }
    out += '…';
  }
  return out + ' '.repeat(Math.max(0, n - width(out)));
}

export function formatDuration(ms: number): string {
  const m = Math.floor(Math.abs(ms) / MINUTE);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h${String(min).padStart(2, '0')}m`;
  return `${min}m`;
}

const clockFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function localTime(ms: number): string {
  return clockFormat.format(new Date(ms)).replace(',', '');
}

const short = (id: string) => (id.length > 12 ? `${id.slice(0, 11)}…` : id);

function nextDeadline(v: View): string {
  const now = Date.parse(v.asOf);
  if (v.status === 'closed') return '-';
  const running = v.clocks.filter((c) => c.status === 'running').sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
  const paused = v.clocks.filter((c) => c.status === 'paused').length;
  const first = running[0];
  const text = first ? `${first.id} in ${formatDuration(Date.parse(first.deadline) - now)}` : '-';
  return paused ? `${text} (${paused} paused)` : text;
}

function overdue(v: View): string {
  const now = Date.parse(v.asOf);
  const breached = v.clocks.filter((c) => c.status === 'breached');
  // A deadline met late stays on the record (H-40): it is not "met".
  const late = v.clocks.filter((c) => c.status === 'met-late').map((c) => c.id);
  // A warning skipped because its deadline had passed when the clock ran (lag) is said, not hidden.
  const skipped = v.clocks.filter((c) => (c.warningsSkipped ?? 0) > 0).map((c) => c.id);
  const notes = [late.length ? `${late.join(',')} met late` : '', skipped.length ? `${skipped.join(',')} warning skipped` : '']
    .filter(Boolean)
    .join('; ');
  if (!breached.length) return notes || '-';
  const worst = Math.max(...breached.map((c) => now - Date.parse(c.deadline)));
  return `${breached.map((c) => c.id).join(',')} (${formatDuration(worst)})${notes ? `; ${notes}` : ''}`;
}

function escalation(v: View): string {
  if (!v.escalationLevel) return '-';
  const all = v.clocks.flatMap((c) => c.escalations).sort((a, b) => b.level - a.level || Date.parse(b.at) - Date.parse(a.at));
  return all[0] ? `L${v.escalationLevel} ${all[0].to}` : `L${v.escalationLevel}`;
}

const COLUMNS: Array<[string, number, (r: DemoRow, i: number) => string]> = [
  ['#', 2, (_, i) => String(i + 1)],
  ['complaint', 13, (r) => short(r.id)],
  ['plan', 25, (r) => r.scenario.plan],
  ['severity', 8, (r) => r.view?.classification?.severity ?? String(r.scenario.body.severityHint ?? '?')],
  ['channel', 20, (r) => String(r.scenario.body.channel)],
  ['status', 9, (r) => r.view?.status ?? '…'],
  ['milestone', 16, (r) => (r.view && !r.view.points.registered ? 'registering…' : (r.view?.milestone ?? '-'))],
  ['next deadline', 24, (r) => (r.view ? nextDeadline(r.view) : '…')],
  ['overdue', 36, (r) => (r.view ? overdue(r.view) : '…')],
  ['escalated', 14, (r) => (r.view ? escalation(r.view) : '…')],
  ['mails', 5, (r) => String(r.emails)],
  [
    'doing',
    22,
    (r) =>
      r.stuck
        ? `stuck: ${r.stuck}`
        : r.next < r.scenario.steps.length
          ? `next: ${r.scenario.steps[r.next].label}`
          : r.scenario.steps.length
            ? 'done'
            : '-',
  ],
];

export function renderTable(rows: readonly DemoRow[]): string {
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, COLUMNS[i][1]))
      .join(' ')
      .trimEnd();
  return [line(COLUMNS.map((c) => c[0])), ...rows.map((r, i) => line(COLUMNS.map((c) => c[2](r, i))))].join('\n');
}

/** What changed between two views of a complaint, in words. */
export function changes(before: View | undefined, after: View): string[] {
  const out: string[] = [];
  if (!before) return out;
  if (before.status !== after.status) out.push(`status ${before.status} → ${after.status}${after.pause ? ` (${after.pause.reason})` : ''}`);
  else if (before.milestone !== after.milestone && after.milestone) out.push(`now waits for ${after.milestone}`);
  if (after.reopenCount > before.reopenCount) out.push('reopened: the customer said not solved (H-34)');
  const prev = new Map(before.clocks.map((c) => [c.id, c]));
  for (const c of after.clocks) {
    const b = prev.get(c.id);
    if (c.warned && !b?.warned) out.push(`${c.id} due soon: warning sent`);
    if ((c.warningsSkipped ?? 0) > (b?.warningsSkipped ?? 0))
      out.push(`${c.id} warning skipped: its deadline had passed when the clock ran (the escalation speaks for it)`);
    if (c.status === 'breached' && b?.status !== 'breached') out.push(`${c.id} breached its deadline`);
    if (c.status === 'met' && b && b.status !== 'met') out.push(`${c.id} met`);
    if (c.status === 'met-late' && b && b.status !== 'met-late') out.push(`${c.id} met late`);
    for (const e of c.escalations.slice(b?.escalations.length ?? 0)) out.push(`${c.id} escalated to level ${e.level} (${e.to})`);
    if (b && b.deadline !== c.deadline && c.status !== 'met' && c.status !== 'met-late')
      out.push(`${c.id} deadline moved by ${formatDuration(Date.parse(c.deadline) - Date.parse(b.deadline))}`);
  }
  return out;
}

// ---- HTTP ---------------------------------------------------------------------------------------

interface Api {
  call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  emails(): Promise<CapturedEmail[]>;
  post(url: string, form: Record<string, string>): Promise<number>;
}

function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err as Error).message;
}

/** Checks that complaint-loop's local API answers at `api`; finds the local SES from its index page. */
export async function preflight(api: string, signal?: AbortSignal): Promise<{ sesStore?: string }> {
  let res: Response;
  try {
    res = await fetch(`${api}/`, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(5000)]) : AbortSignal.timeout(5000) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new DemoError(
      `nothing answers at ${api} (${describeFetchError(err)}): start it with npm start (in another terminal, e.g. npm start -- --time-scale 600), then run npm run demo again; if it listens elsewhere, pass --api URL`,
    );
  }
  const html = await res.text();
  if (!res.ok || !html.includes('complaint-loop')) {
    throw new DemoError(`${api} answered ${res.status} but is not complaint-loop's local API: start it with npm start, or pass --api URL`);
  }
  const m = /Emails as JSON: <a href="([^"]+)"/.exec(html);
  if (m) return { sesStore: m[1] };
  // npm start's layout: the local SES is on the API port + 3.
  const u = new URL(api);
  const guess = `${u.protocol}//${u.hostname}:${Number(u.port || 80) + 3}/store`;
  try {
    const probe = await fetch(guess, { signal: AbortSignal.timeout(2000) });
    if (probe.ok) return { sesStore: guess };
  } catch {
    // not there: survey steps will say so
  }
  return {};
}

function httpApi(api: string, sesStore: string | undefined, signal: AbortSignal): Api {
  return {
    async call(method, route, body) {
      let res: Response;
      try {
        const r = await signRequest(`${api}${route}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        res = await fetch(r.url, { method: r.method, headers: r.headers, body: r.body, signal });
      } catch (err) {
        if (signal.aborted) throw err;
        throw new DemoError(`the API at ${api} stopped answering (${describeFetchError(err)}): is npm start still running?`);
      }
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // an HTML page
      }
      return { status: res.status, body: parsed };
    },
    async emails() {
      if (!sesStore) return [];
      try {
        const res = await fetch(sesStore, { signal });
        if (!res.ok) return [];
        return ((await res.json()) as { emails: CapturedEmail[] }).emails;
      } catch (err) {
        if (signal.aborted) throw err;
        return [];
      }
    },
    async post(url, form) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        signal,
      });
      await res.arrayBuffer();
      return res.status;
    },
  };
}

// ---- the run ------------------------------------------------------------------------------------

export interface DemoOptions {
  api: string;
  /** Base URL of the local SES (default: from the API's index page). */
  ses?: string;
  /** Real ms between refreshes. @default 1000 */
  intervalMs?: number;
  /** Stop after this many real ms. @default until aborted */
  durationMs?: number;
  /** Redraw in place (a terminal) instead of appending. */
  live?: boolean;
  write?: (text: string) => void;
  signal?: AbortSignal;
  /** Called after each refresh (tests advance a virtual clock here). */
  afterTick?: (rows: readonly DemoRow[]) => Promise<void>;
  /** Stop once this holds. */
  stopWhen?: (rows: readonly DemoRow[]) => boolean;
  /** Distinguishes this run's request ids from earlier runs'. @default random */
  runId?: string;
}

export interface DemoResult {
  rows: DemoRow[];
  log: string[];
  reason: 'duration' | 'aborted' | 'done';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const SURVEY_LINK = /https?:\/\/[^\s"<>]+\/survey\/[A-Za-z0-9_-]+/g;

/** The outcome of trying one step. */
interface StepOutcome {
  ok: boolean;
  /** Why it did not work (shown when the demo gives up on it). */
  why: string;
}

/** One run of the demo: its complaints, what it said, and the loop time it has seen. */
class DemoRun {
  readonly log: string[] = [];
  rows: DemoRow[] = [];
  private virtualNow = 0;
  private firstReceived = 0;
  private readonly write: (text: string) => void;
  private readonly live: boolean;
  private readonly runId: string;

  constructor(
    opts: DemoOptions,
    private readonly api: string,
    private readonly http: Api,
    private readonly sesStore: string | undefined,
  ) {
    this.write = opts.write ?? ((t: string) => process.stdout.write(t));
    this.live = opts.live ?? false;
    this.runId = opts.runId ?? randomBytes(3).toString('hex');
  }

  private say(text: string, row?: DemoRow): void {
    const { virtualNow, firstReceived } = this;
    const stamp = virtualNow ? `${localTime(virtualNow)}${firstReceived ? ` (+${formatDuration(virtualNow - firstReceived)})` : ''}` : '';
    const line = `${stamp.padEnd(27)}${row ? `${short(row.id).padEnd(13)}` : ''}${text}`;
    this.log.push(line);
    if (!this.live) this.write(`${line}\n`);
  }

  async refresh(r: DemoRow): Promise<void> {
    const res = await this.http.call('GET', `/complaints/${r.id}`);
    if (res.status !== 200) return;
    const v = res.body as View;
    for (const c of changes(r.view, v)) this.say(c, r);
    r.view = v;
    this.virtualNow = Math.max(this.virtualNow, Date.parse(v.asOf));
    if (r.lastDoneAt === undefined && v.points.registered) r.lastDoneAt = Date.parse(v.points.registered);
  }

  private async intake(s: Scenario): Promise<DemoRow> {
    const res = await this.http.call('POST', '/complaints', { requestId: `demo-${this.runId}-${s.key}`, ...s.body });
    if (res.status !== 202) throw new DemoError(`POST /complaints answered ${res.status}: ${JSON.stringify(res.body)}`);
    const row: DemoRow = { scenario: s, id: res.body.complaintId, next: 0, failures: 0, emails: 0, usedLinks: new Set() };
    await this.refresh(row);
    const { language, channel, serviceType, severityHint } = s.body;
    this.say(`posted: ${language === 'en' ? 'English' : 'Chinese'}, ${channel}, ${serviceType}, ${severityHint}; plan: ${s.plan}`, row);
    return row;
  }

  /**
   * The first complaint tells the loop's "now", which dates the others' occurredAt; the others go
   * in together (at a high time scale every real second is minutes of loop time).
   */
  async intakeAll(): Promise<void> {
    const first = await this.intake(demoScenarios(Date.now())[0]);
    if (first.view) this.firstReceived = Date.parse(first.view.receivedAt);
    const others = demoScenarios(this.firstReceived || Date.now()).slice(1);
    this.rows = [first, ...(await Promise.all(others.map((s) => this.intake(s))))];
  }

  /** Runs the row's next step if it is due; true when it ran. */
  async runStep(r: DemoRow, emails: CapturedEmail[]): Promise<boolean> {
    const v = r.view;
    if (!v || r.stuck || r.next >= r.scenario.steps.length || r.lastDoneAt === undefined) return false;
    const step = r.scenario.steps[r.next];
    const dueAt = r.lastDoneAt + step.gap;
    if (Math.max(this.virtualNow, Date.parse(v.asOf)) < dueAt || (step.when && !step.when(v))) return false;
    const { ok, why } =
      step.action.kind === 'event' ? await this.postEvent(r, step.action) : await this.answerSurvey(r, step.action, emails);
    if (ok) {
      this.say(`demo: ${step.label}`, r);
      r.next += 1;
      r.failures = 0;
      // Timed by the plan, so a slow refresh does not stretch the story; a waited-for condition
      // (the survey email) restarts the plan from when it was met.
      r.lastDoneAt = step.when ? Math.max(this.virtualNow, dueAt) : dueAt;
      return true;
    }
    if (++r.failures >= 20) {
      r.stuck = why;
      this.say(`demo: gave up on ${step.label} (${why})`, r);
    }
    return false;
  }

  private async postEvent(r: DemoRow, action: Extract<Step['action'], { kind: 'event' }>): Promise<StepOutcome> {
    const { type, fields } = action;
    const res = await this.http.call('POST', `/complaints/${r.id}/events`, {
      eventId: `demo-${this.runId}-${r.scenario.key}-${r.next}`,
      actor: 'demo',
      type,
      ...fields,
    });
    if (res.status !== 200) return { ok: false, why: `${type}: ${res.status} ${res.body?.message ?? ''}` };
    const after = res.body.complaint as View;
    for (const c of changes(r.view, after)) this.say(c, r);
    r.view = after;
    return { ok: true, why: '' };
  }

  /** Answers through the newest survey link sent for this complaint that the demo has not used. */
  private async answerSurvey(
    r: DemoRow,
    action: Extract<Step['action'], { kind: 'survey' }>,
    emails: CapturedEmail[],
  ): Promise<StepOutcome> {
    const links = emails
      .filter((m) => m.subject.includes(r.id))
      .flatMap((m) => m.body.text?.match(SURVEY_LINK) ?? [])
      .filter((l) => !r.usedLinks.has(l));
    const link = links[links.length - 1];
    if (!link) return { ok: false, why: this.sesStore ? 'no survey email yet' : 'no local SES found (pass --ses URL)' };
    const status = await this.http.post(link, {
      solved: action.solved ? 'yes' : 'no',
      score: String(action.score),
      comment: action.comment,
    });
    r.usedLinks.add(link);
    return status === 200 ? { ok: true, why: '' } : { ok: false, why: `survey page answered ${status}` };
  }

  /** One refresh: every open complaint, the emails, then every step that is due. */
  async tick(): Promise<void> {
    // A closed complaint whose story is told changes no more.
    const open = this.rows.filter((r) => !(r.view?.status === 'closed' && r.next >= r.scenario.steps.length));
    await Promise.all(open.map((r) => this.refresh(r)));
    const emails = await this.http.emails();
    for (const r of this.rows) r.emails = emails.filter((m) => m.subject.includes(r.id)).length;
    await Promise.all(
      this.rows.map(async (r) => {
        for (let n = 0; n < 5 && (await this.runStep(r, emails)); n++);
      }),
    );
  }

  draw(): void {
    const { virtualNow, firstReceived } = this;
    const elapsed = firstReceived && virtualNow ? ` (+${formatDuration(virtualNow - firstReceived)} since the first complaint)` : '';
    const header = `complaint-loop demo · API ${this.api} · loop time ${virtualNow ? localTime(virtualNow) : '…'} ${TIME_ZONE}${elapsed}`;
    const table = renderTable(this.rows);
    if (!this.live) {
      this.write(`\n${header}\n${table}\n\n`);
      return;
    }
    const recent = this.log.slice(-12).join('\n');
    const emails = this.sesStore ? this.sesStore.replace(/\/store$/, '/') : '(local SES not found)';
    this.write(`\x1b[H\x1b[J${header}\nEmails: ${emails} · Ctrl-C to stop\n\n${table}\n\nWhat happened (loop time):\n${recent}\n`);
  }
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const api = opts.api.replace(/\/+$/, '');
  const write = opts.write ?? ((t: string) => process.stdout.write(t));
  const controller = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, controller.signal]) : controller.signal;
  const live = opts.live ?? false;
  const started = Date.now();
  const found = await preflight(api, signal);
  const sesStore = opts.ses ? `${opts.ses.replace(/\/+$/, '')}/store` : found.sesStore;
  const run = new DemoRun(opts, api, httpApi(api, sesStore, signal), sesStore);
  await run.intakeAll();

  let reason: DemoResult['reason'] = 'aborted';
  try {
    if (live) write('\x1b[?25l');
    for (let tick = 0; !signal.aborted; tick++) {
      await run.tick();
      if (live || tick % 10 === 0) run.draw();
      if (opts.stopWhen?.(run.rows)) {
        reason = 'done';
        break;
      }
      if (opts.durationMs !== undefined && Date.now() - started >= opts.durationMs) {
        reason = 'duration';
        break;
      }
      await opts.afterTick?.(run.rows);
      await sleep(opts.intervalMs ?? 1000, signal);
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  } finally {
    if (live) write('\x1b[?25h');
  }
  if (!live) run.draw();
  return { rows: run.rows, log: run.log, reason };
}

// ---- command line -------------------------------------------------------------------------------

interface DemoFlags {
  api: string;
  ses?: string;
  intervalMs: number;
  durationMs?: number;
  plain: boolean;
  help: boolean;
}

const DEMO_OPTIONS = {
  api: { type: 'string' },
  ses: { type: 'string' },
  interval: { type: 'string' },
  duration: { type: 'string' },
  plain: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseDemoFlags(argv: string[]): DemoFlags {
  const { values } = parseFlags(argv, DEMO_OPTIONS);
  return {
    api: values.api === undefined ? 'http://127.0.0.1:3000' : urlFlag('--api', values.api),
    ...(values.ses === undefined ? {} : { ses: urlFlag('--ses', values.ses) }),
    intervalMs: values.interval === undefined ? 1000 : positiveFlag('--interval', values.interval),
    ...(values.duration === undefined ? {} : { durationMs: positiveFlag('--duration', values.duration) * 1000 }),
    plain: values.plain ?? false,
    help: values.help ?? false,
  };
}

function positiveFlag(name: string, v: string): number {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new FlagError(`${name} expects a positive number, got '${v}'`);
  return n;
}

function urlFlag(name: string, v: string): string {
  if (!/^https?:\/\/[^/]+/.test(v)) throw new FlagError(`${name} expects a URL like http://127.0.0.1:3000, got '${v}'`);
  return v.replace(/\/+$/, '');
}

function summary(result: DemoResult, api: string): string {
  const lines = [
    '',
    `Stopped (${result.reason === 'aborted' ? 'Ctrl-C' : result.reason}). The complaints stay in the running stack; look closer with:`,
    ...result.rows
      .slice(0, 2)
      .map((r) => `  curl -s --aws-sigv4 "aws:amz:us-east-1:execute-api" --user local:local ${api}/complaints/${r.id}`),
    `  the emails page of the local SES (linked from ${api}/)`,
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  let flags: DemoFlags;
  try {
    flags = parseDemoFlags(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`npm run demo: ${(err as Error).message}\n\n${DEMO_USAGE}\n`);
    process.exit(2);
  }
  if (flags.help) {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return;
  }
  const controller = new AbortController();
  let firstSignalAt = 0;
  const onSignal = () => {
    // A second Ctrl-C does not wait for requests in flight. One press can arrive twice (the
    // terminal signals the process group and tsx relays it too), so repeats within a second count once.
    if (firstSignalAt && Date.now() - firstSignalAt > 1000) process.exit(130);
    firstSignalAt ||= Date.now();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const live = !flags.plain && process.stdout.isTTY === true;
  try {
    const result = await runDemo({
      api: flags.api,
      ses: flags.ses,
      intervalMs: flags.intervalMs,
      durationMs: flags.durationMs,
      live,
      signal: controller.signal,
    });
    // The last live frame already shows the latest events: only the summary follows it.
    process.stdout.write(`${summary(result, flags.api)}\n`);
    process.exit(0);
  } catch (err) {
    if (live) process.stdout.write('\x1b[?25h');
    if (controller.signal.aborted) {
      process.stdout.write('\nStopped (Ctrl-C).\n');
      process.exit(0);
    }
    if (err instanceof DemoError) {
      process.stderr.write(`npm run demo: ${err.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`npm run demo: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();
