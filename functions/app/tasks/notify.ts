/**
 * The notifying workflow tasks: `clock-tick` (warnings, escalations, survey reminder and close,
 * and the customer's pause and resume notices the events API left pending) and `notify` (intake
 * acknowledgment, management at intake, response notice, reopen notice, result notice, failure).
 * Each notification goes out once per key (send-once.ts), is published as an event for SMS
 * gateways (no personal data, no link token in the detail), and is recorded on the complaint.
 * The customer hears in the complaint's language, or in both (H-31, setting customerLanguages).
 */

import { NOTIFICATION_DETAIL_TYPE } from '../../contract/events';
import type { Contacts, CustomerLanguagesSetting } from '../../contract/settings';
import { clockTickRequestSchema, type NotificationKind, notifyRequestSchema } from '../../contract/tasks';
import { addDuration } from '../../domain/calendar';
import {
  applyClockEvents,
  type ClockEvent,
  clockDefinition,
  clockEventsAudit,
  dueClockEvents,
  endCappedPause,
  nextDueAt,
} from '../../domain/clocks';
import { ComplaintNotFoundError, EventNotAllowedError } from '../../domain/errors';
import {
  clearPendingNotices,
  expireSurvey,
  markFailed,
  markResponseNotified,
  markResultNotified,
  pauseNoticeKey,
} from '../../domain/lifecycle';
import { redactPersonalData } from '../../domain/masking';
import {
  briefSummary,
  type ClockRef,
  customerLanguages,
  type NotificationModels,
  type RenderKind,
  renderNotification,
} from '../../domain/notifications';
import type { SlaPolicy } from '../../domain/sla-policy';
import type { AuditEvent, Complaint, Team } from '../../domain/types';
import { ACK_LINK_DAYS, newLink } from '../links';
import type { ComplaintRepository, Email, EventSink, MailSender, NotificationSent, StoredComplaint } from '../ports';
import { logger } from '../runtime/logger';
import { updateComplaint } from '../update';
import { type Built, type Outgoing, type SendDeps, type SendResult, savingSent, sendOnce } from './send-once';
import { task } from './task-handler';

export interface NotifyDeps {
  readonly store: ComplaintRepository;
  readonly mailer: MailSender;
  readonly publisher: EventSink;
  readonly policy: SlaPolicy;
  readonly contacts: Contacts;
  readonly publicBaseUrl: string;
  /** H-31: customer mail in the complaint's language ('complaint') or in both. */
  readonly customerLanguages: CustomerLanguagesSetting;
  readonly wallClockMs?: () => number;
}

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function teamOf(c: Complaint): Team {
  return c.team ?? c.classification?.team ?? 'customer-service';
}

function unique(addresses: readonly string[]): string[] {
  return [...new Set(addresses)];
}

/** Contacts for a role of the complaint's team; operations when the carrier configured nobody (someone must hear). */
function staff(deps: NotifyDeps, team: Team, role: string): string[] {
  const list = deps.contacts.teams[team]?.[role] ?? [];
  if (list.length > 0) return unique(list);
  logger.warn('no contacts configured for role; using operations', { team, role });
  return unique(deps.contacts.operations);
}

function clockRef(deps: NotifyDeps, c: Complaint, clockId: string): ClockRef {
  const def = clockDefinition(deps.policy, clockId);
  return {
    id: clockId,
    clause: def?.clause ?? '',
    title: def?.title ?? { zh: clockId, en: clockId },
    deadline: c.clocks[clockId]?.deadline ?? '',
    ...(c.clocks[clockId]?.provisional ? { provisional: true } : {}),
  };
}

function render<K extends RenderKind>(kind: K, model: NotificationModels[K], to: readonly string[]): Email {
  const r = renderNotification(kind, model);
  return { to, subject: r.subject, text: r.text, html: r.html };
}

/** A customer notice in the complaint's language(s), by email when there is an address. */
function customerMessage<K extends RenderKind>(deps: NotifyDeps, c: Complaint, kind: K, model: NotificationModels[K]): Built {
  const languages = customerLanguages(c.language, deps.customerLanguages);
  const r = renderNotification(kind, model, { languages });
  const sms = renderNotification(kind, model, { languages, withoutLinks: true });
  const email = c.customer.contact.email;
  return {
    email: email ? { to: [email], subject: r.subject, text: r.text, html: r.html } : undefined,
    // The SMS gateway gets the text (personal data redacted, no link token), never the address;
    // it asks the API for the link (GET /complaints/{id}/links/{kind}).
    messageText: { subject: sms.subject, text: redactPersonalData(sms.text) },
  };
}

function sendDeps(deps: NotifyDeps): SendDeps {
  return {
    store: deps.store,
    mailer: deps.mailer,
    publisher: deps.publisher,
    wallClockMs: deps.wallClockMs,
    alertStaffRejection: async ({ complaintId, key, reason, at }) => {
      const to = unique(deps.contacts.operations);
      if (to.length === 0) return;
      await deps.mailer.send(
        render('email-rejected', { complaintId, timeZone: deps.policy.timeZone, now: at, notification: key, reason }, to),
      );
    },
  };
}

/** A refused email, as the caller of sendOnce records it: which notice, to whom. */
interface Rejection {
  readonly kind: string;
  readonly audience: string;
}

/** H-37: an audit line per refused email; a refused customer address is flagged for the console and API. */
function recordRejections(c: Complaint, rejections: readonly Rejection[], now: string): { complaint: Complaint; audit: AuditEvent[] } {
  let complaint = c;
  const audit: AuditEvent[] = [];
  for (const r of rejections) {
    audit.push({
      at: now,
      type: 'email-rejected',
      actor: 'system',
      detail: { kind: r.kind, audience: r.audience, reason: 'MessageRejected' },
    });
    if (r.audience === 'customer') complaint = { ...complaint, emailUndeliverable: { at: now, notice: r.kind, reason: 'MessageRejected' } };
  }
  return { complaint, audit };
}

/** What one invocation sent: refused emails to record, and the sent marks its save writes. */
interface SendLog {
  readonly rejections: Rejection[];
  readonly marks: NotificationSent[];
}

const newSendLog = (): SendLog => ({ rejections: [], marks: [] });

/** Sends one outgoing notification and notes a refused email and the mark to save. */
async function sendNoting(deps: NotifyDeps, out: Outgoing, log: SendLog): Promise<SendResult> {
  const { result, mark } = await sendOnce(sendDeps(deps), out);
  if (result === 'email-rejected') log.rejections.push({ kind: out.key.split('#')[0]!, audience: String(out.detail.audience ?? 'staff') });
  if (mark) log.marks.push(mark);
  return result;
}

async function load(deps: NotifyDeps, id: string): Promise<StoredComplaint> {
  const stored = await deps.store.get(id);
  if (!stored) throw new ComplaintNotFoundError(id);
  return stored;
}

// ---- clock-tick ---------------------------------------------------------------------------

export function clockEventKey(e: ClockEvent): string {
  return `${e.kind}#${e.clockId}#${e.level ?? 0}#${e.dueAt}`;
}

/** Who a warning goes to (H-37 records it): the owner when it is one of the team's contacts, else the supervisors. */
function warningAudience(deps: NotifyDeps, c: Complaint): 'owner' | 'supervisor' {
  // `owner` is free text from the caller: mail it only when it is one of the team's contacts.
  const teamAddresses = Object.values(deps.contacts.teams[teamOf(c)] ?? {})
    .flat()
    .map((a) => a.toLowerCase());
  return c.owner !== undefined && EMAIL_LIKE.test(c.owner) && teamAddresses.includes(c.owner.toLowerCase()) ? 'owner' : 'supervisor';
}

type OutgoingBase = Pick<Outgoing, 'complaintId' | 'key' | 'detailType' | 'at'>;

/** H-18: an escalation email with its own single-use acknowledgement link. */
function escalationOutgoing(deps: NotifyDeps, c: Complaint, e: ClockEvent, now: string, base: OutgoingBase): Outgoing {
  const team = teamOf(c);
  const role = e.to === 'owner' || e.to === 'customer' ? 'supervisor' : e.to;
  const to = staff(deps, team, role);
  const level = e.level ?? 1;
  const expiresAt = new Date(Date.parse(now) + ACK_LINK_DAYS * 86_400_000).toISOString();
  const link = newLink(deps.publicBaseUrl, {
    purpose: 'ack',
    complaintId: c.id,
    clockId: e.clockId,
    level,
    to: role,
    createdAt: now,
    expiresAt,
  });
  return {
    ...base,
    detail: { kind: 'clock-escalation', clockId: e.clockId, level, audience: role, team, dueAt: e.dueAt },
    link,
    build: () => {
      const model = {
        complaintId: c.id,
        timeZone: deps.policy.timeZone,
        now,
        clock: clockRef(deps, c, e.clockId),
        level,
        owner: c.owner,
        team,
      };
      return { email: render('clock-escalation', { ...model, summary: briefSummary(c.description), ackUrl: link.url }, to) };
    },
  };
}

function surveyReminderOutgoing(deps: NotifyDeps, c: Complaint, e: ClockEvent, now: string, base: OutgoingBase): Outgoing {
  const closesAt = c.clocks[e.clockId]?.deadline ?? now;
  // The first link's token is not stored (only its hash): the reminder carries a new one.
  const link = newLink(deps.publicBaseUrl, { purpose: 'survey', complaintId: c.id, createdAt: now, expiresAt: closesAt });
  return {
    ...base,
    detail: { kind: 'survey-reminder', clockId: e.clockId, audience: 'customer', dueAt: e.dueAt, link: 'survey' },
    link,
    build: () =>
      customerMessage(deps, c, 'survey-reminder', { complaintId: c.id, timeZone: deps.policy.timeZone, surveyUrl: link.url, closesAt }),
  };
}

function clockOutgoing(deps: NotifyDeps, c: Complaint, e: ClockEvent, now: string): Outgoing | undefined {
  const team = teamOf(c);
  const base = { complaintId: c.id, key: clockEventKey(e), detailType: NOTIFICATION_DETAIL_TYPE, at: now };
  const tz = deps.policy.timeZone;
  const summary = briefSummary(c.description);
  switch (e.kind) {
    case 'warning': {
      const audience = warningAudience(deps, c);
      const to = audience === 'owner' ? [c.owner!] : staff(deps, team, 'supervisor');
      return {
        ...base,
        detail: { kind: 'clock-warning', clockId: e.clockId, audience, team, dueAt: e.dueAt },
        build: () => ({
          email: render(
            'clock-warning',
            { complaintId: c.id, timeZone: tz, now, clock: clockRef(deps, c, e.clockId), owner: c.owner, team, summary },
            to,
          ),
        }),
      };
    }
    case 'escalation':
      return escalationOutgoing(deps, c, e, now, base);
    case 'survey-reminder':
      return surveyReminderOutgoing(deps, c, e, now, base);
    case 'survey-closed':
      return undefined; // recorded by expireSurvey, nobody to tell
    case 'pause-cap-reached':
      return undefined; // the frozen clocks run again (endCappedPause), nobody to tell
    case 'warning-skipped':
      return undefined; // past its deadline: the escalation goes out instead; the audit line says so
  }
}

export async function clockTick(
  deps: NotifyDeps,
  id: string,
  now: string,
  milestone: string,
): Promise<{ nextDueAt: string | null; expired: boolean }> {
  const loaded = await load(deps, id);
  const { complaint } = loaded;
  const due = dueClockEvents(complaint, now, deps.policy);
  const handled = new Set<string>();
  const log = newSendLog();
  const { rejections } = log;
  for (const e of due) {
    // A late tick that finds the survey already closed does not remind the customer of it.
    const closedToo = e.kind === 'survey-reminder' && due.some((x) => x.kind === 'survey-closed' && x.clockId === e.clockId);
    const out = closedToo ? undefined : clockOutgoing(deps, complaint, e, now);
    if (out) await sendNoting(deps, out, log);
    handled.add(clockEventKey(e));
  }
  const notices = await sendPendingNotices(deps, complaint, now, log);
  const outcome = await savingSent(sendDeps(deps), id, log.marks, (extra) =>
    updateComplaint(
      deps.store,
      id,
      (c) => nextDueAt(c, deps.policy),
      (current) => {
        // Record what was sent (a concurrent change may have made other events due: the next tick sends those).
        const events = dueClockEvents(current.complaint, now, deps.policy).filter((e) => handled.has(clockEventKey(e)));
        const sentNotices = notices.filter((k) => current.complaint.pendingNotices?.includes(k));
        if (events.length === 0 && sentNotices.length === 0 && rejections.length === 0) return { result: undefined };
        const noted = recordRejections(clearPendingNotices(current.complaint, sentNotices), rejections, now);
        let c = applyClockEvents(noted.complaint, events, now);
        if (events.some((e) => e.kind === 'pause-cap-reached')) c = endCappedPause(c, now, deps.policy);
        const audit: AuditEvent[] = [
          ...sentNotices.map((key) => ({ at: now, type: 'notified', actor: 'system', detail: { kind: key.split('#')[0]! } })),
          ...noted.audit,
          ...clockEventsAudit(
            events.filter((e) => e.kind !== 'survey-closed'),
            now,
          ).map((a) =>
            // The history names the address group the warning went to, not the policy's 'owner'.
            a.type === 'clock-warning' ? { ...a, detail: { ...a.detail, to: warningAudience(deps, current.complaint) } } : a,
          ),
        ];
        if (events.some((e) => e.kind === 'survey-closed') && c.status === 'surveying' && !c.points['survey-answered']) {
          const r = expireSurvey(c, now);
          c = r.complaint;
          audit.push(...r.audit);
        }
        return { complaint: c, audit, extra, result: undefined };
      },
      loaded,
    ),
  );
  if (!outcome.ok) throw new Error(`clock-tick: unexpected ${outcome.reason} conflict`);
  const survey = outcome.stored.complaint.survey;
  const expired = milestone === 'survey' && survey?.outcome === 'no-answer';
  const next = nextDueAt(outcome.stored.complaint, deps.policy);
  logger.info('clock tick', { complaintId: id, milestone, sent: handled.size, expired, nextDueAt: next });
  return { nextDueAt: next, expired };
}

/**
 * H-31: the pause and resume notices the events API recorded on the complaint, sent at the
 * workflow's clock step (the events API re-arms the waiting state with ClocksChanged). Answers
 * the keys handled (sent before, or now).
 */
async function sendPendingNotices(deps: NotifyDeps, c: Complaint, now: string, log: SendLog): Promise<string[]> {
  const handled: string[] = [];
  for (const key of c.pendingNotices ?? []) {
    const out = progressNotice(deps, c, key, now);
    if (out) await sendNoting(deps, out, log);
    handled.push(key);
  }
  return handled;
}

/** The pause or resume notice behind a pending key ('pause-notice#<since>', 'resume-notice#<since>'). */
function progressNotice(deps: NotifyDeps, c: Complaint, key: string, now: string): Outgoing | undefined {
  const [kind, since] = key.split('#') as [string, string | undefined];
  if (!since) return undefined;
  const base = { complaintId: c.id, key, detailType: NOTIFICATION_DETAIL_TYPE, at: now };
  const tz = deps.policy.timeZone;
  if (kind === 'pause-notice') {
    const reason =
      c.pause && pauseNoticeKey(c.pause.since) === key ? c.pause.reason : (c.pauses.find((p) => p.from === since)?.reason ?? '');
    return {
      ...base,
      detail: { kind, audience: 'customer' },
      build: () => customerMessage(deps, c, kind, { complaintId: c.id, timeZone: tz, since, reason }),
    };
  }
  if (kind === 'resume-notice') {
    const at = c.pauses.find((p) => p.from === since)?.to ?? now;
    return {
      ...base,
      detail: { kind, audience: 'customer' },
      build: () => customerMessage(deps, c, kind, { complaintId: c.id, timeZone: tz, at }),
    };
  }
  logger.warn('unknown pending notice dropped', { complaintId: c.id, kind });
  return undefined;
}

// ---- notify -------------------------------------------------------------------------------

export interface FailureInfo {
  readonly Error?: string;
  readonly Cause?: string;
}

/** The Step Functions error output, reduced to what may be mailed and logged. */
function failureText(error: FailureInfo | undefined): { error: string; cause?: string } {
  const name = error?.Error ?? 'UnknownError';
  let cause = error?.Cause;
  if (cause) {
    // Lambda causes are JSON {errorMessage, errorType, trace}: keep the message, never the trace.
    try {
      const parsed = JSON.parse(cause) as { errorMessage?: unknown };
      if (typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
    } catch {
      // plain text cause
    }
    cause = redactPersonalData(cause).slice(0, 1000);
  }
  return { error: name, ...(cause ? { cause } : {}) };
}

/** H-24: management hears of a major or urgent complaint at intake. */
function managementIntakeOutgoing(deps: NotifyDeps, c: Complaint, base: OutgoingBase): Outgoing {
  const team = teamOf(c);
  const to = staff(deps, team, 'management');
  const severity = c.classification?.severity;
  const clocks = Object.values(c.clocks)
    .filter((s) => s.status === 'running' || s.status === 'paused')
    .map((s) => clockRef(deps, c, s.id));
  const model = {
    complaintId: c.id,
    timeZone: deps.policy.timeZone,
    receivedAt: c.receivedAt,
    severity: severity ?? 'general',
    team,
    serviceType: c.serviceType,
    summary: briefSummary(c.description),
    reasons: c.classification?.reasons ?? [],
    clocks,
  };
  return {
    ...base,
    detail: { kind: 'management-intake', audience: 'management', team, severity: severity ?? null },
    build: () => ({ email: render('management-intake', model, to) }),
  };
}

/** The written result (H-13) with the survey link. */
function resultNoticeOutgoing(deps: NotifyDeps, c: Complaint, now: string, base: OutgoingBase): Outgoing {
  const resolution = c.resolution;
  if (!resolution || !c.points.resolved || (c.milestone !== 'survey' && !c.points['result-notified'])) {
    throw new EventNotAllowedError(`complaint ${c.id} has no resolution to notify (milestone ${c.milestone ?? 'none'})`, ['resolved']);
  }
  const tz = deps.policy.timeZone;
  const surveyClosesAt = addDuration(now, deps.policy.survey.closesAfter, 'wall-clock', tz).deadline;
  const link = newLink(deps.publicBaseUrl, { purpose: 'survey', complaintId: c.id, createdAt: now, expiresAt: surveyClosesAt });
  return {
    ...base,
    detail: { kind: 'result-notice', audience: 'customer', link: 'survey' },
    link,
    build: () =>
      customerMessage(deps, c, 'result-notice', { complaintId: c.id, timeZone: tz, resolution, surveyUrl: link.url, surveyClosesAt }),
  };
}

/** A person must take over: operations and the team's supervisors hear why the loop stopped. */
function failureOutgoing(deps: NotifyDeps, c: Complaint, now: string, error: FailureInfo | undefined, base: OutgoingBase): Outgoing {
  const team = teamOf(c);
  const to = unique([...deps.contacts.operations, ...(deps.contacts.teams[team]?.supervisor ?? [])]);
  const info = failureText(error);
  const model = {
    complaintId: c.id,
    timeZone: deps.policy.timeZone,
    now,
    ...info,
    ...(c.milestone ? { milestone: c.milestone } : {}),
    team,
  };
  return {
    ...base,
    detail: { kind: 'failure', audience: 'operations', team, error: info.error },
    build: () => ({ email: render('failure', model, to) }),
  };
}

function notifyOutgoing(deps: NotifyDeps, c: Complaint, kind: NotificationKind, now: string, error: FailureInfo | undefined): Outgoing {
  const tz = deps.policy.timeZone;
  const base = { complaintId: c.id, detailType: NOTIFICATION_DETAIL_TYPE, at: now };
  switch (kind) {
    case 'intake-acknowledgment':
      return {
        ...base,
        key: 'intake-acknowledgment',
        detail: { kind, audience: 'customer' },
        build: () =>
          customerMessage(deps, c, kind, {
            complaintId: c.id,
            timeZone: tz,
            receivedAt: c.receivedAt,
            ...(c.clocks['H-01'] ? { firstResponseBy: c.clocks['H-01'].deadline } : {}),
          }),
      };
    case 'response-notice': {
      const opinion = c.handlingOpinion;
      if (!opinion || !c.points.responded)
        throw new EventNotAllowedError(`complaint ${c.id} has no handling opinion to send (H-13)`, ['responded']);
      return {
        ...base,
        // One per round of handling: a reopened complaint's new opinion gets its own notice.
        key: `response-notice#${c.reopenCount}`,
        detail: { kind, audience: 'customer' },
        build: () => customerMessage(deps, c, kind, { complaintId: c.id, timeZone: tz, ...opinion }),
      };
    }
    case 'reopen-notice':
      return {
        ...base,
        key: `reopen-notice#${c.reopenCount}`,
        detail: { kind, audience: 'customer' },
        build: () =>
          customerMessage(deps, c, kind, {
            complaintId: c.id,
            timeZone: tz,
            at: c.points.reopened ?? now,
            ...(c.clocks['H-34']?.status === 'running' ? { respondBy: c.clocks['H-34'].deadline } : {}),
          }),
      };
    case 'management-intake':
      return managementIntakeOutgoing(deps, c, { ...base, key: kind });
    case 'result-notice':
      // One result notice per round of handling (a reopened complaint gets a new one).
      return resultNoticeOutgoing(deps, c, now, { ...base, key: `result-notice#${c.reopenCount}` });
    case 'failure':
      return failureOutgoing(deps, c, now, error, { ...base, key: `failure#${now}` });
  }
}

export async function notify(
  deps: NotifyDeps,
  id: string,
  now: string,
  kinds: readonly NotificationKind[],
  error?: FailureInfo,
): Promise<{ nextDueAt: string | null }> {
  const stored = await deps.store.get(id);
  if (!stored) {
    if (kinds.includes('failure')) return failureWithoutComplaint(deps, id, now, error);
    throw new ComplaintNotFoundError(id);
  }
  const sent: NotificationKind[] = [];
  const log = newSendLog();
  const { rejections } = log;
  for (const kind of unique(kinds) as NotificationKind[]) {
    const result = await sendNoting(deps, notifyOutgoing(deps, stored.complaint, kind, now, error), log);
    if (result !== 'already-sent') sent.push(kind);
  }
  const outcome = await savingSent(sendDeps(deps), id, log.marks, (extra) =>
    updateComplaint(
      deps.store,
      id,
      (c) => nextDueAt(c, deps.policy),
      (current) => {
        const noted = recordRejections(current.complaint, rejections, now);
        let c = noted.complaint;
        const audit: AuditEvent[] = [
          ...sent.map((kind) => ({ at: now, type: 'notified', actor: 'system', detail: { kind } })),
          ...noted.audit,
        ];
        if (kinds.includes('response-notice')) {
          const r = markResponseNotified(c, now, deps.policy); // H-13 met
          c = r.complaint;
          audit.push(...r.audit);
        }
        if (kinds.includes('result-notice')) {
          const r = markResultNotified(c, now, deps.policy); // H-08 met; the survey window opens
          c = r.complaint;
          audit.push(...r.audit);
        }
        if (kinds.includes('failure')) {
          const r = markFailed(c, now, failureText(error).error); // a person owns it now
          c = r.complaint;
          audit.push(...r.audit);
        }
        if (c === current.complaint && audit.length === 0) return { result: undefined };
        return { complaint: c, audit, extra, result: undefined };
      },
      stored,
    ),
  );
  if (!outcome.ok) throw new Error(`notify: unexpected ${outcome.reason} conflict`);
  logger.info('notified', { complaintId: id, kinds, sent });
  return { nextDueAt: nextDueAt(outcome.stored.complaint, deps.policy) };
}

/** The failure of a complaint we cannot read (e.g. intake's record is gone): operations still hear of it. */
async function failureWithoutComplaint(
  deps: NotifyDeps,
  id: string,
  now: string,
  error: FailureInfo | undefined,
): Promise<{ nextDueAt: null }> {
  const info = failureText(error);
  // No complaint to save: the send is marked on its own.
  const { mark } = await sendOnce(sendDeps(deps), {
    complaintId: id,
    key: `failure#${now}`,
    detailType: NOTIFICATION_DETAIL_TYPE,
    at: now,
    detail: { kind: 'failure', audience: 'operations', error: info.error, complaintMissing: true },
    build: () => ({
      email: render('failure', { complaintId: id, timeZone: deps.policy.timeZone, now, ...info }, unique(deps.contacts.operations)),
    }),
  });
  if (mark) await deps.store.markNotification(id, mark.key, 'sent', mark.at, mark.messageIds);
  return { nextDueAt: null };
}

/** Workflow task: customer, management and failure notifications, each sent once. Answers { nextDueAt }. */
export const notifyHandler = (deps: NotifyDeps) =>
  task('notify', notifyRequestSchema, (p) => notify(deps, p.complaintId, p.now, p.kinds, p.error));

/**
 * Workflow task: sends the warnings and escalations due now, records them, answers the next due
 * instant; for the survey: the reminder, and `expired` once it closes.
 */
export const clockTickHandler = (deps: NotifyDeps) =>
  task('clock-tick', clockTickRequestSchema, (p) => clockTick(deps, p.complaintId, p.now, p.milestone));
