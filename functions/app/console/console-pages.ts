/**
 * The console's HTML (server-rendered, inline CSS and SVG, no script, no external resource):
 * the open-complaints list, one complaint with its timeline, and the quality view.
 * Everything interpolated is escaped here; personal data never reaches these pages unmasked
 * (the list shows no customer data, the complaint page uses the API's masked view).
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import { describeMs, formatLocal } from '../../domain/calendar';
import type { ComplaintTimes } from '../../domain/cycles';
import { redactPersonalData } from '../../domain/masking';
import { type AuditEvent, type Complaint, SERVICE_TYPES, SEVERITIES, TEAMS } from '../../domain/types';
import { escapeHtml } from '../pages/pages';
import { type ClockBar, type ConsoleFilters, type OpenRow, stateCounts } from './console-model';
import type { Period, Quality, ResponseTime } from './console-quality';
import { hBarChart, pct, progressBar, STATE_COLORS, STATE_LABELS, targetChart } from './console-svg';

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const CSS = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#24292f;background:#f6f8fa;line-height:1.45}
header{background:#24292f;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;padding:.2rem .4rem;border-radius:4px}header a[aria-current=page]{background:#57606a}
header .brand{font-weight:600}main{padding:1rem 1.2rem;max-width:80rem}
h1{font-size:1.35rem;margin:.4rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}.en{color:#57606a;font-weight:normal}
table{border-collapse:collapse;background:#fff;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#eaeef2}a{color:#0550ae}form.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-size:.85rem}select,input,button{font-size:.95rem;padding:.25rem .4rem}
button{background:#0550ae;color:#fff;border:0;border-radius:4px;padding:.35rem 1rem}
.clock{display:grid;grid-template-columns:11.5rem 220px 9.5rem minmax(12rem,1fr);gap:.5rem;align-items:center;margin:.15rem 0}.clock .state{justify-self:start}
.state{font-size:.8rem;padding:0 .35rem;border-radius:3px;color:#fff}.muted{color:#57606a}.summary span{margin-right:1.2rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.8rem 1rem}
ol.timeline{list-style:none;padding:0}ol.timeline li{background:#fff;border-left:4px solid #0550ae;margin:.3rem 0;padding:.3rem .7rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;background:#fff;padding:.8rem;border:1px solid #d0d7de}dt{font-weight:600}
.detail{font-size:.8rem;margin-top:.15rem}.kv{margin-right:.9rem}.k{color:#57606a}td.why{font-size:.78rem;max-width:28rem}
`;

export interface PageContext {
  /** Path prefix of the API stage ('' or '/v1'): links work locally and behind API Gateway. */
  readonly base: string;
  readonly now: string;
  readonly timeZone: string;
  /** The signed-in person, shown in the header beside the sign-out link. */
  readonly viewer?: { readonly name: string };
}

type Nav = 'open' | 'quality' | 'complaint' | 'workflow';

function layout(ctx: PageContext, nav: Nav, title: string, body: string, statusCode = 200): APIGatewayProxyResult {
  const link = (key: Nav, href: string, text: string) =>
    `<a href="${escapeHtml(ctx.base + href)}"${key === nav ? ' aria-current="page"' : ''}>${text}</a>`;
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · 投诉控制台 Complaint console</title>
<style>${CSS}</style>
</head>
<body>
<header><span class="brand">投诉控制台 <span lang="en">Complaint console</span></span>
<nav>${link('open', '/console', '未结投诉 <span lang="en">Open</span>')} ${link('quality', '/console/quality', '服务质量 <span lang="en">Quality</span>')} ${link('workflow', '/console/workflow', '流程图 <span lang="en">Workflow</span>')}</nav>
<span class="muted" style="color:#d0d7de">as of ${escapeHtml(formatLocal(ctx.now, ctx.timeZone))} (${escapeHtml(ctx.timeZone)})</span>${signedInAs(ctx)}</header>
<main>
${body}
</main>
</body>
</html>`;
  return { statusCode, headers: HEADERS, body: html };
}

function signedInAs(ctx: PageContext): string {
  if (!ctx.viewer) return '';
  return ` <span class="who" style="color:#d0d7de">${escapeHtml(ctx.viewer.name)} · <a href="${escapeHtml(`${ctx.base}/console/sign-out`)}" style="color:#fff">退出 <span lang="en">Sign out</span></a></span>`;
}

const stateBadge = (bar: ClockBar) =>
  `<span class="state" style="background:${STATE_COLORS[bar.state]}">${STATE_LABELS[bar.state].zh} ${STATE_LABELS[bar.state].en}${bar.paused ? ' · 暂停 paused' : ''}</span>`;

function remaining(bar: ClockBar): string {
  const ms = bar.view.remainingMs;
  if (ms === null) return bar.view.metAt ? STATE_LABELS[bar.state].en : '';
  return ms < 0 ? `${describeMs(-ms)} overdue` : `${describeMs(ms)} left`;
}

/** One clock line: id, bar, state, time left. data-* attributes state what is drawn. */
function clockLine(bar: ClockBar, ctx: PageContext): string {
  const v = bar.view;
  return (
    `<div class="clock" data-clock="${escapeHtml(v.id)}" data-state="${bar.state}" data-fill="${bar.fill.toFixed(4)}"${bar.paused ? ' data-paused="true"' : ''}>` +
    `<code title="${escapeHtml(`${v.title.zh} / ${v.title.en} (${v.clause})`)}">${escapeHtml(v.id)}</code>` +
    progressBar(bar) +
    stateBadge(bar) +
    ` <span class="muted">${escapeHtml(remaining(bar))} · due ${escapeHtml(formatLocal(v.deadline, ctx.timeZone))}</span>` +
    (v.provisional
      ? ` <strong class="provisional" title="无官方节假日安排，调休未知 / no official holiday schedule yet: make-up days unknown">PROVISIONAL</strong>`
      : '') +
    `</div>`
  );
}

function select(name: string, label: string, values: readonly string[], selected: string | undefined): string {
  const options = [
    '<option value="">全部 all</option>',
    ...values.map((v) => `<option value="${v}"${v === selected ? ' selected' : ''}>${v}</option>`),
  ];
  return `<label for="f-${name}">${label}<select id="f-${name}" name="${name}">${options.join('')}</select></label>`;
}

export function openListPage(
  ctx: PageContext,
  rows: readonly OpenRow[],
  filters: ConsoleFilters,
  truncated: boolean,
): APIGatewayProxyResult {
  const counts = stateCounts(rows);
  const form =
    `<form class="filters" method="get" action="${escapeHtml(ctx.base)}/console">` +
    select('team', '团队 Team', TEAMS, filters.team) +
    select('severity', '严重程度 Severity', SEVERITIES, filters.severity) +
    select('serviceType', '服务类型 Service type', SERVICE_TYPES, filters.serviceType) +
    `<button type="submit">筛选 Filter</button></form>`;
  const summary =
    `<p class="summary" aria-live="polite"><span><strong>${rows.length}</strong> 未结 open</span>` +
    `<span><strong>${rows.filter((r) => r.complaint.status === 'failed').length}</strong> 需人工 failed</span>` +
    (['on-time', 'warned', 'breached'] as const)
      .map(
        (s) =>
          `<span><span class="state" style="background:${STATE_COLORS[s]}">${STATE_LABELS[s].zh} ${STATE_LABELS[s].en}</span> ${counts[s]}</span>`,
      )
      .join('') +
    `</p>`;
  const body = rows.length
    ? `<table><thead><tr><th scope="col">投诉 Complaint</th><th scope="col">团队 / 严重程度 / 服务<br><span class="en">Team / severity / service</span></th><th scope="col">状态 Status</th><th scope="col">时限 Clocks</th></tr></thead><tbody>` +
      rows.map((r) => openRow(r, ctx)).join('') +
      `</tbody></table>`
    : `<p>没有符合条件的未结投诉。<span class="en" lang="en">No open complaint matches.</span></p>`;
  const note = truncated ? `<p class="muted">Only the first complaints are shown; narrow the filters.</p>` : '';
  return layout(
    ctx,
    'open',
    '未结投诉 Open complaints',
    `<h1>未结投诉 <span class="en" lang="en">Open complaints</span></h1>${form}${summary}${note}${body}`,
  );
}

function openRow(r: OpenRow, ctx: PageContext): string {
  const c = r.complaint;
  const cls = c.classification;
  return (
    `<tr data-complaint="${escapeHtml(c.id)}" data-worst="${r.worst}">` +
    `<td><a href="${escapeHtml(`${ctx.base}/console/complaints/${encodeURIComponent(c.id)}`)}"><code>${escapeHtml(c.id)}</code></a>` +
    `<br><span class="muted">received ${escapeHtml(formatLocal(c.receivedAt, ctx.timeZone))}</span></td>` +
    `<td>${escapeHtml(c.team ?? cls?.team ?? '—')}<br>${escapeHtml(cls?.severity ?? '—')} · ${escapeHtml(cls?.serviceType ?? c.serviceType)}</td>` +
    `<td>${c.status === 'failed' ? '<strong>流程中断，需人工处理</strong><br><span class="en" lang="en">loop failed: needs a person</span>' : escapeHtml(c.status)}${c.milestone ? `<br><span class="muted">waiting: ${escapeHtml(c.milestone)}</span>` : ''}` +
    `${c.owner ? `<br>owner ${escapeHtml(c.owner)}` : ''}${c.escalationLevel ? `<br>escalation level ${c.escalationLevel}` : ''}</td>` +
    `<td>${r.bars.map((b) => clockLine(b, ctx)).join('')}</td></tr>`
  );
}

/** The masked complaint view (app/view.ts) plus its bars: what the complaint page shows. */
export interface ComplaintPageData {
  readonly complaint: Complaint;
  readonly view: Record<string, unknown>;
  readonly bars: readonly ClockBar[];
  readonly history: readonly AuditEvent[];
  /** H-08: the viewer may take this complaint's escalations over (its team's supervisor, or management). */
  readonly canAcknowledge?: boolean;
}

export function complaintPage(ctx: PageContext, d: ComplaintPageData): APIGatewayProxyResult {
  const v = d.view as Record<string, any>;
  const c = d.complaint;
  const facts: [string, string][] = [
    ['状态 Status', `${v.status}${v.milestone ? ` (waiting: ${v.milestone})` : ''}`],
    ['团队 Team', v.team ?? '—'],
    ['严重程度 Severity', v.classification?.severity ?? '—'],
    ['类型 Type', v.classification?.type ?? '—'],
    ['服务类型 Service', v.classification?.serviceType ?? v.serviceType],
    ['渠道 Channel', `${v.channel} · ${v.source}`],
    ['负责人 Owner', v.owner ?? '—'],
    ['升级级别 Escalation level', String(v.escalationLevel)],
    ['重开次数 Reopened', String(v.reopenCount)],
    ['受理时间 Received', formatLocal(c.receivedAt, ctx.timeZone)],
    ['客户 Customer', `${v.customer.id} ${Object.values(v.customer.contact ?? {}).join(' ')}`],
    ...(v.customer.emailUndeliverable
      ? ([
          [
            '邮件无法送达 Email refused',
            `${v.customer.emailUndeliverable.reason} · ${v.customer.emailUndeliverable.notice} · ${formatLocal(v.customer.emailUndeliverable.at, ctx.timeZone)}`,
          ],
        ] as [string, string][])
      : []),
    ['描述 Description', v.description],
  ];
  const clockRows = d.bars
    .map((b) => {
      const esc = b.view.escalations.map((e) => escalationLine(c.id, b.view.id, e, d.canAcknowledge === true, ctx)).join('<br>');
      return `<tr><td>${clockLine(b, ctx)}<div class="muted">${escapeHtml(b.view.title.zh)} · ${escapeHtml(b.view.title.en)} · ${escapeHtml(b.view.clause)}</div></td><td>${esc || '—'}</td><td class="muted why">${escapeHtml(b.view.explanation)}</td></tr>`;
    })
    .join('');
  const history = (v.history as AuditEvent[])
    .map(
      (h) =>
        `<li><strong>${escapeHtml(h.type)}</strong> <span class="muted">${escapeHtml(formatLocal(h.at, ctx.timeZone))} · ${escapeHtml(h.actor)}</span>` +
        (Object.keys(h.detail ?? {}).length ? `<div class="detail">${detailLine(h.detail, ctx)}</div>` : '') +
        `</li>`,
    )
    .join('');
  const body =
    `<p><a href="${escapeHtml(ctx.base)}/console">← 未结投诉 Open complaints</a></p>` +
    `<h1>投诉 <span class="en" lang="en">Complaint</span> <code>${escapeHtml(c.id)}</code></h1>` +
    `<dl class="facts">${facts.map(([k, x]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(String(x))}</dd>`).join('')}</dl>` +
    `<h2>时限 <span class="en" lang="en">Clocks</span></h2>` +
    `<table><thead><tr><th scope="col">Clock</th><th scope="col">升级 Escalations</th><th scope="col">说明 Why</th></tr></thead><tbody>${clockRows}</tbody></table>` +
    cyclesTable(v.times as ComplaintTimes, ctx) +
    `<h2>处理记录 <span class="en" lang="en">Timeline</span></h2><ol class="timeline">${history}</ol>`;
  return layout(ctx, 'complaint', `投诉 ${c.id}`, body);
}

interface EscalationView {
  readonly level: number;
  readonly to: string;
  readonly at: string;
  readonly ackedAt?: string;
  readonly ackedBy?: string;
}

/** One escalation; when it is still open and the viewer may, a button to take it over (script-free form). */
function escalationLine(complaintId: string, clockId: string, e: EscalationView, canAcknowledge: boolean, ctx: PageContext): string {
  const text = escapeHtml(`L${e.level} → ${e.to} ${formatLocal(e.at, ctx.timeZone)}`);
  if (e.ackedAt) return `${text} <span class="muted">(acknowledged${e.ackedBy ? ` by ${escapeHtml(e.ackedBy)}` : ''})</span>`;
  if (!canAcknowledge) return text;
  const action = escapeHtml(`${ctx.base}/console/complaints/${complaintId}/acknowledge`);
  return (
    `${text} <form method="post" action="${action}" style="display:inline">` +
    `<input type="hidden" name="clockId" value="${escapeHtml(clockId)}"><input type="hidden" name="level" value="${e.level}">` +
    `<button type="submit" data-ack="${escapeHtml(`${clockId}/${e.level}`)}">确认接手 <span lang="en">Acknowledge</span></button></form>`
  );
}

/** H-14, H-34: the operator's time per handling cycle (pauses excluded) and receipt to close. */
function cyclesTable(times: ComplaintTimes, ctx: PageContext): string {
  const at = (iso: string | undefined) => (iso ? escapeHtml(formatLocal(iso, ctx.timeZone)) : '—');
  const rows = times.cycles
    .map(
      (k) =>
        `<tr data-cycle="${k.cycle}"><td>${k.cycle}${k.current ? ' (current)' : ''}</td><td>${at(k.startedAt)}</td><td>${at(k.respondedAt)}</td>` +
        `<td>${at(k.resolvedAt)}</td><td>${at(k.resultNotifiedAt)}</td><td>${escapeHtml(describeMs(k.operatorMs))}</td></tr>`,
    )
    .join('');
  return (
    `<h2>处理周期 <span class="en" lang="en">Handling cycles</span></h2>` +
    `<table><thead><tr><th scope="col">#</th><th scope="col">开始 Started</th><th scope="col">处理意见 Responded</th><th scope="col">解决 Resolved</th>` +
    `<th scope="col">结果告知 Result notified</th><th scope="col">运营方用时 Operator time</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="muted">端到端 End to end (receipt → ${times.endToEnd.to ? 'close' : 'now'}): ${escapeHtml(describeMs(times.endToEnd.elapsedMs))}</p>`
  );
}

/** The handbook names no reopen target; a reference line only, labelled so. */
const REOPEN_REFERENCE = 0.05;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** An audit line's detail as `key: value` pairs (instants in local time), escaped. */
function detailLine(detail: Readonly<Record<string, unknown>>, ctx: PageContext): string {
  return Object.entries(detail)
    .map(([k, v]) => {
      const text =
        typeof v === 'string'
          ? ISO_INSTANT.test(v)
            ? formatLocal(v, ctx.timeZone)
            : v
          : typeof v === 'object' && v !== null
            ? JSON.stringify(v)
            : String(v);
      return `<span class="kv"><span class="k">${escapeHtml(k)}</span> ${escapeHtml(text)}</span>`;
    })
    .join(' ');
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

function responseCard(metric: string, heading: string, r: ResponseTime, what: string): string {
  const target = minutes(r.targetMs);
  return (
    `<div class="card" data-metric="${metric}"><h2>${heading}</h2>` +
    targetChart(
      `Average ${what} vs ${target}`,
      r.averageMs,
      r.targetMs,
      Math.max(2 * r.targetMs, (r.averageMs ?? 0) * 1.1),
      minutes,
      r.averageMs !== null && r.averageMs <= r.targetMs,
      'target',
    ) +
    `<p>average over ${r.count} complaints; ${r.withinTarget} within ${Math.round(r.targetMs / 60_000)} min</p></div>`
  );
}

function complianceSection(q: Quality): string {
  const rated = q.clocks.filter((c) => c.rate !== null);
  if (!q.clocks.length)
    return `<p>本期没有归档投诉。<span class="en" lang="en">No complaint was closed or failed in this period.</span></p>`;
  const chart = rated.length
    ? hBarChart(
        'SLA compliance per clock',
        rated.map((c) => ({ label: c.id, value: c.rate!, note: `${pct(c.rate!)} (${c.onTime}/${c.total})`, good: c.rate! >= 0.95 })),
        0.95,
      )
    : '';
  const rows = q.clocks
    .map(
      (c) =>
        `<tr data-clock="${escapeHtml(c.id)}"><td>${escapeHtml(c.id)} ${escapeHtml(c.title.zh)} / ${escapeHtml(c.title.en)}</td><td>${escapeHtml(c.clause)}</td>` +
        `<td>${c.onTime}</td><td>${c.late}</td><td>${c.breached}</td><td>${c.pending}</td><td>${c.rate === null ? '—' : pct(c.rate)}</td></tr>`,
    )
    .join('');
  return (
    chart +
    `<table><thead><tr><th scope="col">Clock</th><th scope="col">Clause</th><th scope="col">按时 On time</th><th scope="col">逾期完成 Met late</th>` +
    `<th scope="col">超时未完成 Breached</th><th scope="col">未到期 Pending</th><th scope="col">达标率 Rate</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<p class="muted">Rate: on time / (on time + met late + breached). Pending: clocks of failed complaints not yet due when the complaint failed.</p>`
  );
}

function improvementsSection(q: Quality, ctx: PageContext): string {
  if (!q.improvements.length)
    return `<p>本期没有记录改进措施。<span class="en" lang="en">No improvement measure was recorded in this period.</span></p>`;
  const rows = q.improvements
    .map(
      (m) =>
        `<tr data-improvement="${escapeHtml(m.complaintId)}"><td>${escapeHtml(formatLocal(m.at, ctx.timeZone))}</td>` +
        `<td><a href="${escapeHtml(`${ctx.base}/console/complaints/${encodeURIComponent(m.complaintId)}`)}"><code>${escapeHtml(m.complaintId)}</code></a></td>` +
        `<td>${escapeHtml(m.actor)}</td><td>${escapeHtml(m.category ?? '—')}</td><td>${escapeHtml(redactPersonalData(m.measure))}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th scope="col">时间 Recorded</th><th scope="col">投诉 Complaint</th><th scope="col">记录人 By</th><th scope="col">类别 Category</th><th scope="col">措施 Measure</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function qualityPage(ctx: PageContext, period: Period, q: Quality): APIGatewayProxyResult {
  const form =
    `<form class="filters" method="get" action="${escapeHtml(ctx.base)}/console/quality">` +
    `<label for="q-from">从 From<input id="q-from" type="date" name="from" value="${escapeHtml(period.from)}" required></label>` +
    `<label for="q-to">至 To<input id="q-to" type="date" name="to" value="${escapeHtml(period.to)}" required></label>` +
    `<button type="submit">查看 Show</button></form>`;
  const sat = q.satisfaction;
  const archived = q.closed + q.failed;
  const cards =
    `<div class="cards">` +
    `<div class="card" data-metric="satisfaction"><h2>满意度 <span class="en">Satisfaction</span> (H-40)</h2>` +
    targetChart('Satisfaction rate vs 95% target', sat.rate, sat.target, 1, pct, sat.rate !== null && sat.rate >= sat.target, 'target') +
    `<p>${sat.satisfied} / ${sat.answered} answered surveys satisfied (score 4–5)${sat.noAnswer ? `; ${sat.noAnswer} unanswered` : ''}</p></div>` +
    responseCard('first-response', '首次响应 <span class="en">First response</span> (H-01, H-40)', q.firstResponse, 'first-response time') +
    responseCard(
      'handling-response',
      '处理响应 <span class="en">Handling response</span> (H-06)',
      q.handlingResponse,
      'handling response',
    ) +
    `<div class="card" data-metric="reopen"><h2>重开率 <span class="en">Reopen rate</span> (H-34)</h2>` +
    targetChart(
      'Reopen rate',
      q.reopen.rate,
      REOPEN_REFERENCE,
      0.5,
      pct,
      q.reopen.rate === null || q.reopen.rate <= REOPEN_REFERENCE,
      'reference',
    ) +
    `<p>${q.reopen.reopened} of ${archived} archived complaints were reopened (the handbook sets no target: the line marks 5% for reference)</p></div>` +
    `</div>` +
    `<p class="muted">First response: receipt → acknowledged (H-01 met). Handling response: receipt → the later of dispatched and acknowledged, ` +
    `i.e. the owning team has taken the work order and answered the customer (H-06 §2.2: average within 45 minutes).</p>`;
  const teams = Object.entries(q.byTeam).sort(([a], [b]) => a.localeCompare(b));
  const teamTable = teams.length
    ? `<table><thead><tr><th scope="col">团队 Team</th><th scope="col">已结 Closed</th><th scope="col">失败 Failed</th></tr></thead><tbody>` +
      teams
        .map(([t, n]) => `<tr data-team="${escapeHtml(t)}"><td>${escapeHtml(t)}</td><td>${n.closed}</td><td>${n.failed}</td></tr>`)
        .join('') +
      `</tbody></table>`
    : '';
  const body =
    `<h1>服务质量 <span class="en" lang="en">Service quality</span></h1>${form}` +
    `<p data-archived="${archived}">${q.closed} complaints closed and ${q.failed} failed ${escapeHtml(period.from)} – ${escapeHtml(period.to)} (${escapeHtml(ctx.timeZone)})</p>` +
    cards +
    `<h2>各时限达标率 <span class="en" lang="en">SLA compliance per clock</span></h2>${complianceSection(q)}` +
    (teamTable ? `<h2>各团队归档 <span class="en" lang="en">Archived per team</span></h2>${teamTable}` : '') +
    `<h2>改进措施 <span class="en" lang="en">Improvement measures</span> (H-36)</h2>${improvementsSection(q, ctx)}`;
  return layout(ctx, 'quality', '服务质量 Quality', body);
}

export function messagePage(ctx: PageContext, statusCode: number, title: string, text: string): APIGatewayProxyResult {
  return layout(ctx, 'open', title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`, statusCode);
}

/** The state machine as deployed (workflows/diagram.ts draws it from the definition). */
export function workflowPage(ctx: PageContext, svg: string): APIGatewayProxyResult {
  return layout(
    ctx,
    'workflow',
    '流程图 Workflow',
    `<h1>投诉闭环流程 <span class="en" lang="en">The complaint loop (state machine)</span></h1>` +
      `<p class="muted">Drawn from the same definition the stack deploys, so it never drifts from the code.</p>` +
      `<div class="card" style="overflow:auto">${svg}</div>`,
  );
}
