/**
 * The SLA policy as data: every clock the workflow keeps, with the handbook requirement
 * (H-ID, clause) it comes from. A carrier overrides it by clock id (CDK setting slaPolicy,
 * env SLA_POLICY); resolveSlaPolicy validates the result and names the failing field.
 *
 * Where clauses disagree, both clocks are kept and the stricter one decides escalation
 * first (handbook README). Each clock's `note` records the decision.
 */
import * as z from 'zod';
import { isIsoDuration, isValidTimeZone } from '../functions/domain/calendar';
import { SlaPolicyError, type FieldIssue } from '../functions/domain/errors';
import { LIFECYCLE_POINTS, SEVERITIES } from '../functions/domain/types';

const isoDuration = z.string().refine(isIsoDuration, {
  message: 'expected an ISO 8601 duration of days/hours/minutes/seconds, e.g. PT20M or P3D',
});
const durationSchema = z.union([isoDuration, z.strictObject({ workingDays: z.number().int().min(1).max(60) })]);

/** Who an escalation goes to: keys of the carrier's contacts per team. */
export const ESCALATION_TARGETS = ['supervisor', 'management'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

const ladderStepSchema = z.strictObject({
  level: z.number().int().min(1).max(9),
  to: z.enum(ESCALATION_TARGETS),
  /** Level n+1 is due when level n stays unacknowledged this long. Default: the clock's own duration. Ignored on level 1 (due at the deadline). */
  after: durationSchema.optional(),
});

const clockPolicyObject = z.strictObject({
  /** H-ID, suffixed when one requirement yields two clocks (e.g. 'H-10-investigation'). */
  id: z.string().regex(/^[A-Za-z0-9-]{2,40}$/, 'letters, digits and - (2 to 40)'),
  /** Handbook clause, e.g. '§1.2.2'. */
  clause: z.string().min(1),
  title: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
  starts: z.enum(LIFECYCLE_POINTS),
  stops: z.enum(LIFECYCLE_POINTS),
  /** Measure from the complaint's receipt instead of the `starts` point (H-11: registered within 24 h of receipt). */
  from: z.enum(['point', 'received']).default('point'),
  duration: durationSchema,
  calendar: z.enum(['wall-clock', 'cn-working-days']),
  /** Pausable clocks freeze while the complaint waits on the customer; the regulator's clock never does. */
  pausable: z.boolean(),
  /** Only for these severities (H-06: major/urgent); all when absent. */
  appliesTo: z.array(z.enum(SEVERITIES)).min(1).optional(),
  /** Fractions of the duration at which the owner is warned. */
  warnAt: z.array(z.number().gt(0).lt(1)).default([0.75]),
  escalation: z.array(ladderStepSchema).min(1),
  enabled: z.boolean().default(true),
  /** Why the clock is defined so (decisions where clauses disagree). */
  note: z.string().default(''),
});

export const clockPolicySchema = clockPolicyObject.superRefine((c, ctx) => {
  if (c.calendar === 'cn-working-days' && typeof c.duration === 'string') {
    ctx.addIssue({ code: 'custom', path: ['duration'], message: 'calendar cn-working-days needs { workingDays: n }' });
  }
  if (c.calendar === 'wall-clock' && typeof c.duration !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['duration'], message: 'calendar wall-clock needs an ISO 8601 duration' });
  }
  c.escalation.forEach((step, i) => {
    if (step.level !== i + 1) ctx.addIssue({ code: 'custom', path: ['escalation', i, 'level'], message: `expected level ${i + 1} (levels go 1, 2, ... in order)` });
    if (step.after !== undefined && c.calendar === 'wall-clock' && typeof step.after !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['escalation', i, 'after'], message: 'a wall-clock clock takes an ISO 8601 duration here' });
    }
  });
  const sorted = [...c.warnAt].sort((a, b) => a - b);
  if (new Set(sorted).size !== sorted.length) ctx.addIssue({ code: 'custom', path: ['warnAt'], message: 'thresholds must be distinct' });
});
export type ClockPolicy = z.output<typeof clockPolicySchema>;

export const slaPolicySchema = z
  .strictObject({
    version: z.string().min(1).max(100),
    timeZone: z.string().refine(isValidTimeZone, { message: 'expected an IANA time zone, e.g. Asia/Shanghai' }).default('Asia/Shanghai'),
    clocks: z.array(clockPolicySchema).min(1),
    /**
     * H-12: a year's holiday schedule the chinese-days package does not have yet (State Council
     * notice, with its source), keyed by year. Replaces the package's data for that year.
     */
    calendarSupplement: z
      .record(
        z.string().regex(/^\d{4}$/, 'a year, e.g. 2027'),
        z.strictObject({
          source: z.string().min(1),
          holidays: z.array(z.iso.date()),
          workdays: z.array(z.iso.date()),
        }),
      )
      .optional(),
    /** H-33: reminder to the customer, and when an unanswered survey closes. */
    survey: z.strictObject({ reminderAfter: isoDuration, closesAfter: isoDuration }).default({ reminderAfter: 'P1D', closesAfter: 'P3D' }),
  })
  .superRefine((p, ctx) => {
    for (const [year, y] of Object.entries(p.calendarSupplement ?? {})) {
      for (const key of ['holidays', 'workdays'] as const) {
        y[key].forEach((d, i) => {
          if (!d.startsWith(`${year}-`)) ctx.addIssue({ code: 'custom', path: ['calendarSupplement', year, key, i], message: `${d} is not in ${year}` });
        });
      }
    }
    const seen = new Set<string>();
    p.clocks.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['clocks', i, 'id'], message: `duplicate clock id ${c.id}` });
      seen.add(c.id);
    });
  });
export type SlaPolicy = z.output<typeof slaPolicySchema>;
export type SlaPolicyInput = z.input<typeof slaPolicySchema>;

const supervisorThenManagement = [
  { level: 1, to: 'supervisor' },
  { level: 2, to: 'management' },
] as const;

export const DEFAULT_POLICY_VERSION = 'handbook-2025.1';

/** The default clocks (handbook 2025 + MIIT Order No. 35). */
export const DEFAULT_SLA_POLICY: SlaPolicy = slaPolicySchema.parse({
  version: DEFAULT_POLICY_VERSION,
  timeZone: 'Asia/Shanghai',
  survey: { reminderAfter: 'P1D', closesAfter: 'P3D' },
  clocks: [
    {
      id: 'H-11',
      clause: '§6.2 (1)',
      title: { zh: '投诉登记', en: 'Complaint registered' },
      starts: 'registered',
      stops: 'registered',
      from: 'received',
      duration: 'PT24H',
      calendar: 'wall-clock',
      pausable: false,
      warnAt: [],
      escalation: supervisorThenManagement,
      note: 'Met at intake: the workflow registers a complaint seconds after it is received, so this clock is recorded as met at once (measured from receipt) and shown for traceability.',
    },
    {
      id: 'H-05',
      clause: '§2.1',
      title: { zh: '受理后派单至责任人', en: 'Accepted request dispatched to its owner' },
      starts: 'registered',
      stops: 'dispatched',
      duration: 'PT15M',
      calendar: 'wall-clock',
      pausable: false,
      escalation: supervisorThenManagement,
      note: 'First-contact responsibility: dispatch is internal work, so the clock does not pause while waiting on the customer.',
    },
    {
      id: 'H-01',
      clause: '§1.2.2, §1.1',
      title: { zh: '首次响应', en: 'First response' },
      starts: 'registered',
      stops: 'acknowledged',
      duration: 'PT20M',
      calendar: 'wall-clock',
      pausable: false,
      escalation: supervisorThenManagement,
      note:
        "The strictest first-response clock. H-10's 24 h 'initial response started' is met by the same acknowledgment and is not kept separately (it can never fire before H-01). Not pausable: nothing is waited on before first contact.",
    },
    {
      id: 'H-10-investigation',
      clause: '§6.1',
      title: { zh: '初步调查完成（72小时）', en: 'Initial investigation done (72 h)' },
      starts: 'registered',
      stops: 'investigated',
      duration: 'PT72H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note: 'Kept beside H-12 (2 working days): the clauses disagree; H-12 is usually the stricter one, but across a long holiday H-10 falls due first.',
    },
    {
      id: 'H-12',
      clause: '§6.2 (2)',
      title: { zh: '责任部门初步调查（2个工作日）', en: 'Initial investigation by the responsible department (2 working days)' },
      starts: 'registered',
      stops: 'investigated',
      duration: { workingDays: 2 },
      calendar: 'cn-working-days',
      pausable: true,
      escalation: supervisorThenManagement,
      note: 'Working days follow China statutory holidays and make-up working days (调休) in the policy time zone. Level 2 is due when level 1 stays unacknowledged for another 2 working days.',
    },
    {
      id: 'H-13',
      clause: '§6.2 (4)',
      title: { zh: '初步处理结果告知投诉人', en: 'Initial handling result sent to the complainant' },
      starts: 'registered',
      stops: 'response-notified',
      duration: 'PT24H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note:
        "Overlap decided: H-13's 24 h initial handling result (measures and timetable) is the 'responded' point, a later deliverable than H-01's first response; it is stricter than H-10/H-14's 48 h handling opinion, and both are kept. Complex complaints must name a follow-up owner when responding.",
    },
    {
      id: 'H-10-handling-opinion',
      clause: '§6.1, §6.2',
      title: { zh: '给出处理意见（48小时）', en: 'Handling opinion given (48 h)' },
      starts: 'registered',
      stops: 'responded',
      duration: 'PT48H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note: "H-10's 48 h handling opinion and H-14's 48 h response to the complaint are one clock (same points, same duration).",
    },
    {
      id: 'H-06',
      clause: '§2.2',
      title: { zh: '重大问题处理（2小时）', en: 'Major problem handled (2 h)' },
      starts: 'registered',
      stops: 'responded',
      duration: 'PT2H',
      calendar: 'wall-clock',
      pausable: false,
      appliesTo: ['major', 'urgent'],
      escalation: [
        { level: 1, to: 'supervisor' },
        { level: 2, to: 'management', after: 'PT30M' },
      ],
      note: "Only major and urgent complaints (H-21/H-23). Not pausable: a major problem's handling does not wait on one customer. Management is told at intake anyway (H-24); level 2 follows 30 min after an unacknowledged level 1. H-06's 45 min average handling response is a KPI, not a per-complaint clock.",
    },
    {
      id: 'H-02',
      clause: '§1.2.2',
      title: { zh: '关键问题解决（48小时）', en: 'Key problem resolved (48 h)' },
      starts: 'registered',
      stops: 'resolved',
      duration: 'PT48H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note: "Stricter than H-14/H-03's 72 h closed loop, so resolution is held to 48 h; the 72 h loop is its own clock (H-14).",
    },
    {
      id: 'H-14',
      clause: '§6.2, §1.2.2',
      title: { zh: '投诉闭环（72小时）', en: 'Complaint closed loop (72 h)' },
      starts: 'registered',
      stops: 'closed',
      duration: 'PT72H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note:
        'Runs across milestones until the complaint is closed (H-03 for complex problems is the same 72 h). The survey wait counts: a carrier with a long survey window may stop it at result-notified instead.',
    },
    {
      id: 'H-08',
      clause: '§2.3',
      title: { zh: '结果确认并发送结果通知', en: 'Result notice sent to the customer' },
      starts: 'resolved',
      stops: 'result-notified',
      duration: 'PT24H',
      calendar: 'wall-clock',
      pausable: false,
      escalation: supervisorThenManagement,
      note: 'The written result (what, how, follow-up: H-32) goes out automatically on resolution, so this clock normally stops within seconds.',
    },
    {
      id: 'H-34',
      clause: '§6.4',
      title: { zh: '重新处理（未解决重开）', en: 'Reopened complaint handled again' },
      starts: 'reopened',
      stops: 'responded',
      duration: 'PT48H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note: 'The handbook gives no duration for re-handling; the 48 h handling-opinion clock is reused. The reopened complaint also starts one escalation level higher.',
    },
    {
      id: 'MIIT-15D',
      clause: 'MIIT Order No. 35 (电信用户申诉处理办法)',
      title: { zh: '工信部申诉时限（15日）', en: 'Regulator appeal deadline (15 days)' },
      starts: 'registered',
      stops: 'closed',
      duration: 'P15D',
      calendar: 'wall-clock',
      pausable: false,
      warnAt: [0.5, 0.8],
      escalation: [
        { level: 1, to: 'management' },
        { level: 2, to: 'management', after: 'P1D' },
      ],
      note: 'After 15 days without a reply the user may appeal to the regulator: it never pauses, warns earlier, and goes straight to management.',
    },
  ],
});

/** Overrides: any top-level field, and clocks by id (partial fields merge into a default clock; a new id needs every field). */
const overridesSchema = z.strictObject({
  version: z.string().min(1).max(100).optional(),
  timeZone: z.string().optional(),
  survey: z.strictObject({ reminderAfter: z.string().optional(), closesAfter: z.string().optional() }).optional(),
  calendarSupplement: z.unknown().optional(),
  clocks: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
});

function issuesOf(error: z.ZodError, prefix: readonly (string | number)[] = []): FieldIssue[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path].map(String).join('.') || '(root)', message: i.message }));
}

/** 32-bit FNV-1a, to name a customised policy version deterministically. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The default policy with a carrier's overrides applied, validated. Throws SlaPolicyError whose
 * issues name the field paths (e.g. `clocks.H-01.duration`). Accepts a JSON string too (env SLA_POLICY).
 */
export function resolveSlaPolicy(overrides?: unknown, base: SlaPolicy = DEFAULT_SLA_POLICY): SlaPolicy {
  if (overrides === undefined || overrides === null || overrides === '') return base;
  let raw = overrides;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      throw new SlaPolicyError([{ path: '(root)', message: 'expected JSON' }]);
    }
  }
  const parsed = overridesSchema.safeParse(raw);
  if (!parsed.success) throw new SlaPolicyError(issuesOf(parsed.error));
  const o = parsed.data;
  if (Object.keys(o).length === 0) return base;

  const issues: FieldIssue[] = [];
  const clocks = base.clocks.map((c) => ({ ...c }) as Record<string, unknown>);
  for (const [id, patch] of Object.entries(o.clocks ?? {})) {
    if ('id' in patch && patch.id !== id) {
      issues.push({ path: `clocks.${id}.id`, message: `must be ${id} (the key) or left out` });
      continue;
    }
    const i = clocks.findIndex((c) => c.id === id);
    const merged = i >= 0 ? { ...clocks[i], ...patch, id } : { ...patch, id };
    const r = clockPolicySchema.safeParse(merged);
    if (!r.success) {
      issues.push(...issuesOf(r.error, ['clocks', id]));
      continue;
    }
    if (i >= 0) clocks[i] = r.data;
    else clocks.push(r.data);
  }
  if (issues.length) throw new SlaPolicyError(issues);

  const result = slaPolicySchema.safeParse({
    version: o.version ?? `${base.version}+${fnv1a(JSON.stringify(o))}`,
    timeZone: o.timeZone ?? base.timeZone,
    survey: { ...base.survey, ...o.survey },
    ...calendarSupplementOf(base, o.calendarSupplement),
    clocks,
  });
  if (!result.success) throw new SlaPolicyError(issuesOf(result.error));
  return result.data;
}

/** Years merge: a carrier's year replaces the base's; anything that is not an object is left for the schema to reject. */
function calendarSupplementOf(base: SlaPolicy, value: unknown): { calendarSupplement?: unknown } {
  if (value === undefined) return base.calendarSupplement ? { calendarSupplement: base.calendarSupplement } : {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { calendarSupplement: value };
  return { calendarSupplement: { ...base.calendarSupplement, ...value } };
}

/** The clocks that run (enabled). */
export function activeClocks(policy: SlaPolicy): readonly ClockPolicy[] {
  return policy.clocks.filter((c) => c.enabled);
}

export function findClockPolicy(policy: SlaPolicy, id: string): ClockPolicy | undefined {
  return policy.clocks.find((c) => c.id === id);
}
