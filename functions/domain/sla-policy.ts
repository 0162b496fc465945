/**
 * The SLA policy as data: every clock the workflow keeps, with the handbook requirement
 * (H-ID, clause) it comes from. A carrier overrides it by clock id (CDK setting slaPolicy,
 * env SLA_POLICY); resolveSlaPolicy validates the result and names the failing field.
 *
 * Where clauses disagree, both clocks are kept and the stricter one decides escalation
 * first (handbook README). Each clock's `note` records the decision.
 */
import { isIsoDuration, isValidTimeZone } from './calendar';
import { type FieldIssue, SlaPolicyError } from './errors';
import { CHANNELS, type Channel, LIFECYCLE_POINTS, type LifecyclePoint, SEVERITIES } from './types';
import * as z from './zod';

/** Who an escalation goes to: keys of the carrier's contacts per team. */
export const ESCALATION_TARGETS = ['supervisor', 'management'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/**
 * H-25 (§2.1 客户历史服务记录; §2.4 减少重复投诉): the same customer's earlier complaints received
 * within `window` before this one. `complexAt` or more make it complex (a named follow-up owner,
 * H-13); `majorAt` or more raise a general complaint to major (H-21: a problem the customer had
 * to raise that often seriously harms the service they get), null never raises it. Questions
 * and suggestions (minor) stay minor.
 */
export interface RepeatComplaintsPolicy {
  window: string;
  complexAt: number;
  majorAt: number | null;
}
export const DEFAULT_REPEAT_COMPLAINTS: RepeatComplaintsPolicy = { window: 'P30D', complexAt: 2, majorAt: 3 };

/**
 * The policy's schemas, built on first use (policySchemas()): a function whose policy is the
 * default never builds them, and building them is a noticeable part of a cold start.
 */
function buildSchemas() {
  const isoDuration = z
    .string()
    .check(z.refine(isIsoDuration, { message: 'expected an ISO 8601 duration of days/hours/minutes/seconds, e.g. PT20M or P3D' }));
  const durationSchema = z.union([isoDuration, z.strictObject({ workingDays: z.number().check(z.int(), z.gte(1), z.lte(60)) })]);
  type ClockDuration = z.output<typeof durationSchema>;
  const ladderStepSchema = z.strictObject({
    level: z.number().check(z.int(), z.gte(1), z.lte(9)),
    to: z.enum(ESCALATION_TARGETS),
    /** Level n+1 is due when level n stays unacknowledged this long. Default: the clock's own duration. Ignored on level 1 (due at the deadline). */
    after: z.optional(durationSchema),
  });

  const clockPolicyObject = z.strictObject({
    /** H-ID, suffixed when one requirement yields two clocks (e.g. 'H-10-investigation'). */
    id: z.string().check(z.regex(/^[A-Za-z0-9-]{2,40}$/, 'letters, digits and - (2 to 40)')),
    /** Handbook clause, e.g. '§1.2.2'. */
    clause: z.string().check(z.minLength(1)),
    title: z.strictObject({ zh: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) }),
    starts: z.enum(LIFECYCLE_POINTS),
    /** The point that meets the clock, or several: the first of them that happens meets it (H-06: service restored or resolved). */
    stops: z.pipe(
      z.union([z.enum(LIFECYCLE_POINTS), z.array(z.enum(LIFECYCLE_POINTS)).check(z.minLength(1))]),
      z.transform((s: LifecyclePoint | LifecyclePoint[]) => (typeof s === 'string' ? [s] : s)),
    ),
    /** Measure from the complaint's receipt instead of the `starts` point (H-11: registered within 24 h of receipt). */
    from: z._default(z.enum(['point', 'received']), 'point'),
    duration: durationSchema,
    /** §4.1: a duration per intake channel (phone, online, on-site, third-party platform) where it differs from `duration`. */
    byChannel: z.optional(z.partialRecord(z.enum(CHANNELS), durationSchema)),
    calendar: z.enum(['wall-clock', 'cn-working-days']),
    /** Pausable clocks freeze while the complaint waits on the customer; the regulator's clock never does. */
    pausable: z.boolean(),
    /** Only for these severities (H-06: major/urgent); all when absent. */
    appliesTo: z.optional(z.array(z.enum(SEVERITIES)).check(z.minLength(1))),
    /** Fractions of the duration at which the owner is warned. */
    warnAt: z._default(z.array(z.number().check(z.gt(0), z.lt(1))), [0.75]),
    escalation: z.array(ladderStepSchema).check(z.minLength(1)),
    /**
     * Keeps warning and escalating when the complaint's execution failed (the scheduled sweep sends
     * them): the regulator's and the closed-loop deadlines do not stop because the workflow did.
     */
    continuesOnFailure: z._default(z.boolean(), false),
    enabled: z._default(z.boolean(), true),
    /** Why the clock is defined so (decisions where clauses disagree). */
    note: z._default(z.string(), ''),
  });

  const clockPolicySchema = clockPolicyObject.check(
    z.superRefine((c, ctx) => {
      const durations: [(string | number)[], ClockDuration][] = [
        [['duration'], c.duration],
        ...Object.entries(c.byChannel ?? {}).map(([channel, d]): [(string | number)[], ClockDuration] => [['byChannel', channel], d]),
      ];
      for (const [path, d] of durations) {
        if (c.calendar === 'cn-working-days' && typeof d === 'string') {
          ctx.addIssue({ code: 'custom', path, message: 'calendar cn-working-days needs { workingDays: n }' });
        }
        if (c.calendar === 'wall-clock' && typeof d !== 'string') {
          ctx.addIssue({ code: 'custom', path, message: 'calendar wall-clock needs an ISO 8601 duration' });
        }
      }
      c.escalation.forEach((step, i) => {
        if (step.level !== i + 1)
          ctx.addIssue({
            code: 'custom',
            path: ['escalation', i, 'level'],
            message: `expected level ${i + 1} (levels go 1, 2, ... in order)`,
          });
        if (step.after !== undefined && c.calendar === 'wall-clock' && typeof step.after !== 'string') {
          ctx.addIssue({ code: 'custom', path: ['escalation', i, 'after'], message: 'a wall-clock clock takes an ISO 8601 duration here' });
        }
      });
      const sorted = [...c.warnAt].sort((a, b) => a - b);
      if (new Set(sorted).size !== sorted.length)
        ctx.addIssue({ code: 'custom', path: ['warnAt'], message: 'thresholds must be distinct' });
    }),
  );
  const repeatComplaintsSchema = z.strictObject({
    window: isoDuration,
    complexAt: z.number().check(z.int(), z.gte(1), z.lte(1000)),
    majorAt: z.nullable(z.number().check(z.int(), z.gte(1), z.lte(1000))),
  });
  const slaPolicySchema = z
    .strictObject({
      version: z.string().check(z.minLength(1), z.maxLength(100)),
      timeZone: z._default(
        z.string().check(z.refine(isValidTimeZone, { message: 'expected an IANA time zone, e.g. Asia/Shanghai' })),
        'Asia/Shanghai',
      ),
      clocks: z.array(clockPolicySchema).check(z.minLength(1)),
      /**
       * H-12: a year's holiday schedule the chinese-days package does not have yet (State Council
       * notice, with its source), keyed by year. Replaces the package's data for that year.
       */
      calendarSupplement: z.optional(
        z.record(
          z.string().check(z.regex(/^\d{4}$/, 'a year, e.g. 2027')),
          z.strictObject({
            source: z.string().check(z.minLength(1)),
            holidays: z.array(z.iso.date()),
            workdays: z.array(z.iso.date()),
          }),
        ),
      ),
      /** H-33: reminder to the customer, and when an unanswered survey closes. */
      survey: z._default(z.strictObject({ reminderAfter: isoDuration, closesAfter: isoDuration }), {
        reminderAfter: 'P1D',
        closesAfter: 'P3D',
      }),
      /**
       * Pauses (waiting on the customer). `maxTotal`: the most paused time credited to a complaint's
       * pausable clocks over all its pauses, as wall-clock time from each pause's start (default: no
       * cap). When it is used up during a pause the complaint stays paused but its pausable clocks run
       * again from that instant (the clock tick applies 'pause-cap-reached'); a pause begun with the
       * cap used up freezes nothing. Each clock moves by what it lost inside the credited part: elapsed
       * time for wall-clock clocks, working time for working-day clocks. One wall-clock budget per
       * complaint: the cap is known when the pause begins, so the workflow can wake at its end.
       */
      pause: z._default(z.strictObject({ maxTotal: z.optional(isoDuration) }), {}),
      repeatComplaints: z._default(repeatComplaintsSchema, DEFAULT_REPEAT_COMPLAINTS),
    })
    .check(
      z.superRefine((p, ctx) => {
        for (const [year, y] of Object.entries(p.calendarSupplement ?? {})) {
          for (const key of ['holidays', 'workdays'] as const) {
            y[key].forEach((d, i) => {
              if (!d.startsWith(`${year}-`))
                ctx.addIssue({ code: 'custom', path: ['calendarSupplement', year, key, i], message: `${d} is not in ${year}` });
            });
          }
        }
        const seen = new Set<string>();
        p.clocks.forEach((c, i) => {
          if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['clocks', i, 'id'], message: `duplicate clock id ${c.id}` });
          seen.add(c.id);
        });
      }),
    );
  /** Overrides: any top-level field, and clocks by id (partial fields merge into a default clock; a new id needs every field). */
  const overridesSchema = z.strictObject({
    version: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
    timeZone: z.optional(z.string()),
    survey: z.optional(z.strictObject({ reminderAfter: z.optional(z.string()), closesAfter: z.optional(z.string()) })),
    calendarSupplement: z.optional(z.unknown()),
    pause: z.optional(z.unknown()),
    repeatComplaints: z.optional(
      z.strictObject({ window: z.optional(z.unknown()), complexAt: z.optional(z.unknown()), majorAt: z.optional(z.unknown()) }),
    ),
    clocks: z.optional(z.record(z.string(), z.record(z.string(), z.unknown()))),
  });
  return { clock: clockPolicySchema, policy: slaPolicySchema, overrides: overridesSchema, repeatComplaints: repeatComplaintsSchema };
}
type PolicySchemas = ReturnType<typeof buildSchemas>;
let schemas: PolicySchemas | undefined;
export const policySchemas = (): PolicySchemas => (schemas ??= buildSchemas());

export type ClockPolicy = z.output<PolicySchemas['clock']>;
export type SlaPolicy = z.output<PolicySchemas['policy']>;
export type SlaPolicyInput = z.input<PolicySchemas['policy']>;

const supervisorThenManagement: SlaPolicyInput['clocks'][number]['escalation'] = [
  { level: 1, to: 'supervisor' },
  { level: 2, to: 'management' },
];

export const DEFAULT_POLICY_VERSION = 'handbook-2025.1';

/** The default clocks (handbook 2025 + MIIT Order No. 35), as written: the schema's defaults left out. */
export const DEFAULT_SLA_POLICY_SOURCE: SlaPolicyInput = {
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
      from: 'received',
      duration: 'PT15M',
      calendar: 'wall-clock',
      pausable: false,
      escalation: supervisorThenManagement,
      note: "First-contact responsibility: dispatch is internal work, so the clock does not pause while waiting on the customer. Runs from receipt (the upstream's receivedAt), so a late execution start does not give it more time.",
    },
    {
      id: 'H-01',
      clause: '§1.2.2, §1.1',
      title: { zh: '首次响应', en: 'First response' },
      starts: 'registered',
      stops: 'acknowledged',
      from: 'received',
      duration: 'PT20M',
      calendar: 'wall-clock',
      pausable: false,
      escalation: supervisorThenManagement,
      note: "The strictest first-response clock. H-10's 24 h 'initial response started' is met by the same acknowledgment and is not kept separately (it can never fire before H-01). Not pausable: nothing is waited on before first contact. Runs from receipt (the upstream's receivedAt): the customer's 20 minutes start when they complained, not when the workflow started. H-04's 24 h 'responded' is met by the same first response.",
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
      note: "Overlap decided: H-13's 24 h initial handling result (measures and timetable, both required) is met when that result reaches the complainant (response-notified: the notice the workflow sends after the handling opinion), a later deliverable than H-01's first response; it is stricter than H-10/H-14's 48 h handling opinion, and both are kept. Complex complaints must name a follow-up owner when responding.",
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
      stops: ['service-restored', 'resolved'],
      duration: 'PT2H',
      calendar: 'wall-clock',
      pausable: false,
      appliesTo: ['major', 'urgent'],
      escalation: [
        { level: 1, to: 'supervisor' },
        { level: 2, to: 'management', after: 'PT30M' },
      ],
      note: "Only major and urgent complaints (H-21/H-23). Not pausable: a major problem's handling does not wait on one customer. Management is told at intake anyway (H-24); level 2 follows 30 min after an unacknowledged level 1. 'Handled' means the problem is handled: the clock stops when service is restored (event service-restored) or the complaint is resolved, whichever comes first, not at the handling opinion. A complaint reclassified as major later gets this clock from registration. H-06's 45 min average handling response is a KPI (console quality view), not a per-complaint clock.",
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
      stops: 'result-notified',
      duration: 'PT72H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      continuesOnFailure: true,
      note: "The operator's closed loop (H-03 for complex problems is the same 72 h): it runs across milestones until the written result reaches the customer (result-notified). The customer's survey wait is not the operator's time and never breaches it; the survey keeps its own reminder and close clock (H-33). A reopen starts the cycle's own clocks (H-34, H-34-resolution); this clock keeps the first cycle's result. Keeps escalating if the complaint's execution fails.",
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
      note: 'The handbook gives no duration for re-handling; the 48 h handling-opinion clock is reused for the new handling opinion of each reopened cycle. The reopened complaint also starts one escalation level higher.',
    },
    {
      id: 'H-34-resolution',
      clause: '§6.4, §1.2.2',
      title: { zh: '重开后解决（48小时）', en: 'Reopened complaint resolved again (48 h)' },
      starts: 'reopened',
      stops: 'resolved',
      duration: 'PT48H',
      calendar: 'wall-clock',
      pausable: true,
      escalation: supervisorThenManagement,
      note: "A reopened cycle's resolution deadline: the operator's obligations start again at the reopen, and H-02's 48 h to resolve is applied to the new cycle (the handbook gives no re-handling duration).",
    },
    {
      id: 'MIIT-15D',
      clause: 'MIIT Order No. 35 (电信用户申诉处理办法)',
      title: { zh: '工信部申诉时限（15日）', en: 'Regulator appeal deadline (15 days)' },
      starts: 'registered',
      stops: 'response-notified',
      duration: 'P15D',
      calendar: 'wall-clock',
      pausable: false,
      warnAt: [0.5, 0.8],
      escalation: [
        { level: 1, to: 'management' },
        { level: 2, to: 'management', after: 'P1D' },
      ],
      continuesOnFailure: true,
      note: "Order No. 35 art. 10(4): the user may appeal when the operator has not replied within 15 days, so the clock stops when the operator's reply (the initial handling result, H-13) reaches the complainant, not at close. It never pauses, warns earlier, goes straight to management, and keeps escalating if the complaint's execution fails. 360 h exact is stricter than counting to 24:00 of day 15.",
    },
  ],
};

/**
 * The default policy with the schema's defaults filled in, as parsing the source gives it (test/unit/sla-policy-default.test.ts
 * checks that it is exactly that). A constant, so no function validates it again at every cold start.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = withDefaults(DEFAULT_SLA_POLICY_SOURCE);

function withDefaults(source: SlaPolicyInput): SlaPolicy {
  return {
    ...source,
    timeZone: source.timeZone ?? 'Asia/Shanghai',
    survey: source.survey ?? { reminderAfter: 'P1D', closesAfter: 'P3D' },
    pause: source.pause ?? {},
    repeatComplaints: source.repeatComplaints ?? DEFAULT_REPEAT_COMPLAINTS,
    clocks: source.clocks.map((c) => ({
      ...c,
      stops: typeof c.stops === 'string' ? [c.stops] : c.stops,
      from: c.from ?? 'point',
      warnAt: c.warnAt ?? [0.75],
      continuesOnFailure: c.continuesOnFailure ?? false,
      enabled: c.enabled ?? true,
      note: c.note ?? '',
    })),
  };
}

function issuesOf(error: z.core.$ZodError, prefix: readonly (string | number)[] = []): FieldIssue[] {
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
  if (isEmptyObject(raw)) return base;
  const parsed = policySchemas().overrides.safeParse(raw);
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
    const r = policySchemas().clock.safeParse(merged);
    if (!r.success) {
      issues.push(...issuesOf(r.error, ['clocks', id]));
      continue;
    }
    if (i >= 0) clocks[i] = r.data;
    else clocks.push(r.data);
  }
  if (issues.length) throw new SlaPolicyError(issues);

  const result = policySchemas().policy.safeParse({
    version: o.version ?? `${base.version}+${fnv1a(JSON.stringify(o))}`,
    timeZone: o.timeZone ?? base.timeZone,
    survey: { ...base.survey, ...o.survey },
    repeatComplaints: { ...base.repeatComplaints, ...o.repeatComplaints },
    ...calendarSupplementOf(base, o.calendarSupplement),
    pause: o.pause ?? base.pause,
    clocks,
  });
  if (!result.success) throw new SlaPolicyError(issuesOf(result.error));
  return result.data;
}

const isEmptyObject = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype &&
  Object.keys(value).length === 0;

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

/** Does reaching `point` meet this clock? */
export function clockStopsAt(def: Pick<ClockPolicy, 'stops'>, point: LifecyclePoint): boolean {
  return def.stops.includes(point);
}

/** The clock's duration for a complaint received through `channel` (§4.1), else its own. */
export function clockDurationFor(def: Pick<ClockPolicy, 'duration' | 'byChannel'>, channel: Channel | undefined) {
  return (channel && def.byChannel?.[channel]) || def.duration;
}
