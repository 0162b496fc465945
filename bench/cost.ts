/**
 * Part 1: cost per complaint. Each fixed scenario runs through the synthesized workflow on the
 * local engine (virtual clock, DynamoDB Local, local SES, real handlers) and is counted from what
 * really happened: states entered (Step Functions bills each as a transition:
 * https://aws.amazon.com/step-functions/pricing/), Lambda invocations with their measured
 * duration, DynamoDB request units, emails, EventBridge events and API requests. Priced from
 * prices.ts and compared with a design that polls every minute until the complaint is closed.
 *
 *   npx tsx bench/cost.ts            (BENCH_COST_REPEATS=3 by default)
 */

import { parseFlagsOrExit } from '../local/flags';
import { type DynamoCounts, diffCounts } from './dynamo-meter';
import { takeLambdaCalls } from './lambda-meter';
import { type BenchStack, DAY, historyOf, startBenchStack } from './loop-stack';
import { cost, lambdaDurationCost, PRICES } from './prices';
import { isMain, writePartResult } from './results-file';
import { mailIndex, outcomes, runComplaints, SCENARIOS, type ScenarioName } from './scenarios';
import { fmtSpread, type MachineLoad, machineLoad, median, round, type Spread, spread } from './stats';

export const TARGETS = {
  happyPathTransitions: 20,
  happyPathUsd: 0.0008,
  transitionsPerEscalation: 4,
  happyPathDynamoRequests: 25,
} as const;

/** DynamoDB requests per complaint: the target of each scenario (the happy path's, the others cut in the same proportion). */
export const DYNAMO_REQUEST_TARGETS: Readonly<Record<ScenarioName, number>> = {
  'happy-path': TARGETS.happyPathDynamoRequests,
  'first-response-breach': 42,
  'pause-resume': 34,
  'not-solved-reopen': 40,
};

/**
 * What each scenario costs today, asserted as a ceiling by test/workflow/dynamo-requests.test.ts
 * (the counts are deterministic): a change that adds a request fails there.
 */
export const DYNAMO_REQUEST_CEILINGS: Readonly<Record<ScenarioName, number>> = {
  'happy-path': 33,
  'first-response-breach': 54,
  'pause-resume': 45,
  'not-solved-reopen': 54,
};

/** DynamoDB requests of one step (a workflow function or an API route) over a complaint's life. */
export interface StepRequests {
  step: string;
  invocations: number;
  reads: Record<string, number>;
  writes: Record<string, number>;
  requests: number;
}

export interface ScenarioRun {
  transitions: number;
  states: string[];
  workflowLambdas: Record<string, number>;
  workflowLambdaMs: number[];
  workflowLambdaMemory: number[];
  apiRequests: Record<string, number>;
  apiMs: number[];
  dynamo: DynamoCounts;
  emails: number;
  events: number;
  escalationEmails: number;
  lifetimeMs: number;
  usd: CostBreakdown;
}

export interface CostBreakdown {
  stepFunctions: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamoWrites: number;
  dynamoReads: number;
  ses: number;
  apiGateway: number;
  eventBridge: number;
  total: number;
}

export interface ScenarioResult {
  scenario: ScenarioName;
  repeats: number;
  /** Counts were identical in every repeat (the loop is deterministic on the virtual clock). */
  countsStable: boolean;
  transitions: number;
  states: string[];
  workflowLambdaInvocations: number;
  workflowLambdas: Record<string, number>;
  apiRequests: number;
  apiRoutes: Record<string, number>;
  lambdaMsPerInvocation: Spread;
  lambdaMsPerComplaint: Spread;
  dynamo: {
    readRequests: number;
    writeRequests: number;
    readUnits: number;
    writeUnits: number;
    estimated: number;
    byOperation: Record<string, number>;
    /** Per workflow function and API route, in the order the steps first ran. */
    perStep: StepRequests[];
  };
  emails: number;
  escalationEmails: number;
  events: number;
  lifetimeHours: number;
  usd: CostBreakdown & { totalSpread: Spread };
  polling: PollingEstimate;
}

export interface PollingEstimate {
  checks: number;
  transitions: number;
  usd: number;
  /** Same design kept open the regulator's full 15 days. */
  usdAt15Days: number;
}

export interface CostResult {
  machine: MachineLoad;
  prices: typeof PRICES;
  scenarios: ScenarioResult[];
  escalation: { extraTransitions: number; escalations: number; clockEvents: number; perEscalation: number; target: number; met: boolean };
  happyPath: { transitions: number; usd: number; transitionsMet: boolean; usdMet: boolean };
}

const READ_OPS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

/** The meter's per-step counts beside how often each step ran (steps in the order they first ran). */
export function requestsPerStep(run: Pick<ScenarioRun, 'dynamo' | 'workflowLambdas' | 'apiRequests'>, order: string[]): StepRequests[] {
  const steps = [...new Set([...order, ...Object.keys(run.dynamo.byStep)])];
  return steps.map((step) => {
    const ops = run.dynamo.byStep[step] ?? {};
    const pick = (read: boolean) => Object.fromEntries(Object.entries(ops).filter(([op]) => READ_OPS.has(op) === read));
    return {
      step,
      invocations: run.workflowLambdas[step] ?? run.apiRequests[step] ?? 0,
      reads: pick(true),
      writes: pick(false),
      requests: Object.values(ops).reduce((a, n) => a + n, 0),
    };
  });
}

function tally(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

function price(run: Omit<ScenarioRun, 'usd'>): CostBreakdown {
  const lambdaCount = run.workflowLambdaMs.length + run.apiMs.length;
  const durations = [
    ...run.workflowLambdaMs.map((ms, k) => ({ ms, memoryMb: run.workflowLambdaMemory[k]! })),
    // API handlers: the request's round trip through the local API server, an upper bound.
    ...run.apiMs.map((ms) => ({ ms, memoryMb: 512 })),
  ];
  const b = {
    stepFunctions: cost('stepFunctionsTransition', run.transitions),
    lambdaRequests: cost('lambdaRequest', lambdaCount),
    lambdaDuration: lambdaDurationCost(durations),
    dynamoWrites: cost('dynamoWriteRequestUnit', run.dynamo.writeUnits),
    dynamoReads: cost('dynamoReadRequestUnit', run.dynamo.readUnits),
    ses: cost('sesEmail', run.emails),
    apiGateway: cost(
      'apiGatewayRestRequest',
      Object.values(run.apiRequests).reduce((a, x) => a + x, 0),
    ),
    eventBridge: cost('eventBridgeEvent', run.events),
    total: 0,
  };
  b.total = b.stepFunctions + b.lambdaRequests + b.lambdaDuration + b.dynamoWrites + b.dynamoReads + b.ses + b.apiGateway + b.eventBridge;
  return b;
}

/** Await and clock states are what polling replaces; the rest of the loop stays. */
const WAITING_STATE = /^Await|Clock$/;
const WAITING_FUNCTIONS = /await-milestone|clock-tick|AwaitMilestone|ClockTick/i;

/**
 * The polling alternative: one execution per complaint that checks every minute until closed
 * (Wait → Task → Choice: three transitions, one Lambda request and one read per check), plus the
 * same intake, notification and lifecycle work. The check is priced at the measured median
 * clock-tick duration.
 */
function pollingEstimate(run: RunWithNames, checkMs: number, checkMemoryMb: number): PollingEstimate {
  const kept = run.states.filter((s) => !WAITING_STATE.test(s)).length;
  const keptLambdaMs = run.workflowLambdaMs.filter((_, k) => !WAITING_FUNCTIONS.test(run.workflowLambdaNames[k]!));
  const base =
    run.usd.total -
    run.usd.stepFunctions -
    cost('lambdaRequest', run.workflowLambdaMs.length - keptLambdaMs.length) -
    lambdaDurationCost(
      run.workflowLambdaMs
        .filter((_, k) => WAITING_FUNCTIONS.test(run.workflowLambdaNames[k]!))
        .map((ms) => ({ ms, memoryMb: checkMemoryMb })),
    );
  const perCheck =
    cost('stepFunctionsTransition', 3) +
    cost('lambdaRequest', 1) +
    lambdaDurationCost([{ ms: checkMs, memoryMb: checkMemoryMb }]) +
    cost('dynamoReadRequestUnit', 1);
  const checks = Math.ceil(run.lifetimeMs / 60_000);
  return {
    checks,
    transitions: kept + 3 * checks,
    usd: base + cost('stepFunctionsTransition', kept) + checks * perCheck,
    usdAt15Days: base + cost('stepFunctionsTransition', kept) + ((15 * DAY) / 60_000) * perCheck,
  };
}

type RunWithNames = ScenarioRun & { workflowLambdaNames: string[]; stepOrder: string[] };

async function runOnce(b: BenchStack, scenario: ScenarioName): Promise<RunWithNames> {
  const mail = mailIndex();
  const emailsBefore = mail.total();
  const eventsBefore = b.stack.awsLite.events().length;
  const dynamoBefore = b.dynamo.snapshot();
  takeLambdaCalls();
  b.takeApiCalls();
  const startedAt = b.clock.now();
  const { ids } = await runComplaints(b, [scenario], { mail });
  const id = ids[0]!;
  const lambdaCalls = takeLambdaCalls();
  const apiCalls = b.takeApiCalls();
  const dynamo = diffCounts(b.dynamo.snapshot(), dynamoBefore);
  const emailsAll = (await b.stack.ses.emails()).slice(emailsBefore);
  const events = b.stack.awsLite.events().slice(eventsBefore);
  const history = await historyOf(b, b.executionArn(id));
  const entered = history.filter((e) => String(e.type).endsWith('StateEntered'));
  const ended = history.at(-1);
  const [o] = await outcomes(b, [scenario], [id]);
  b.takeApiCalls(); // the outcome check is not part of the complaint
  if (o!.status !== 'SUCCEEDED' || o!.view !== 'closed')
    throw new Error(`${scenario}: ended ${o!.status} with the complaint ${o!.view}, expected SUCCEEDED and closed`);
  const run = {
    transitions: entered.length,
    states: entered.map((e) => e.stateEnteredEventDetails.name as string),
    workflowLambdas: tally(lambdaCalls.map((c) => c.name)),
    workflowLambdaNames: lambdaCalls.map((c) => c.name),
    stepOrder: [...apiCalls.map((c) => c.route), ...lambdaCalls.map((c) => c.name)],
    workflowLambdaMs: lambdaCalls.map((c) => c.ms),
    workflowLambdaMemory: lambdaCalls.map((c) => b.memoryOf(c.name)),
    apiRequests: tally(apiCalls.map((c) => c.route)),
    apiMs: apiCalls.map((c) => c.ms),
    dynamo,
    emails: emailsAll.length,
    escalationEmails: emailsAll.filter((m) => /Escalation level/.test(m.subject)).length,
    events: events.length,
    lifetimeMs: new Date(ended.timestamp).getTime() - startedAt,
  };
  return { ...run, usd: price(run) };
}

const countsOf = (r: ScenarioRun) =>
  JSON.stringify([
    r.transitions,
    r.states,
    r.workflowLambdas,
    r.apiRequests,
    r.dynamo.readUnits,
    r.dynamo.writeUnits,
    r.dynamo.byOperation,
    r.dynamo.byStep,
    r.emails,
    r.events,
  ]);

export async function runCost(opts: { repeats?: number; log?: (s: string) => void } = {}): Promise<CostResult> {
  const repeats = opts.repeats ?? Number(process.env.BENCH_COST_REPEATS ?? 3);
  const log = opts.log ?? console.log;
  log(`Cost per complaint: ${SCENARIOS.length} scenarios x ${repeats} runs on the local engine (virtual clock)`);
  const b = await startBenchStack();
  try {
    // Warm-up: the first request of each handler pays module and client set-up.
    await runComplaints(b, ['happy-path']);
    takeLambdaCalls();
    const runs = new Map<ScenarioName, RunWithNames[]>();
    for (let r = 0; r < repeats; r++) {
      for (const s of SCENARIOS) {
        const run = await runOnce(b, s);
        if (!runs.has(s)) runs.set(s, []);
        runs.get(s)!.push(run);
      }
    }
    const allTicks = [...runs.values()]
      .flat()
      .flatMap((r) => r.workflowLambdaMs.filter((_, k) => /clock-tick|ClockTick/i.test(r.workflowLambdaNames[k]!)));
    const allTasks = [...runs.values()].flat().flatMap((r) => r.workflowLambdaMs);
    const checkMs = allTicks.length ? median(allTicks) : median(allTasks);

    const scenarios: ScenarioResult[] = SCENARIOS.map((s) => {
      const rs = runs.get(s)!;
      const first = rs[0]!;
      const mid = rs.slice().sort((a, c) => a.usd.total - c.usd.total)[rs.length >> 1]!;
      const result: ScenarioResult = {
        scenario: s,
        repeats: rs.length,
        countsStable: rs.every((r) => countsOf(r) === countsOf(first)),
        transitions: first.transitions,
        states: first.states,
        workflowLambdaInvocations: first.workflowLambdaMs.length,
        workflowLambdas: first.workflowLambdas,
        apiRequests: first.apiMs.length,
        apiRoutes: first.apiRequests,
        lambdaMsPerInvocation: spread(rs.map((r) => median([...r.workflowLambdaMs, ...r.apiMs]))),
        lambdaMsPerComplaint: spread(rs.map((r) => [...r.workflowLambdaMs, ...r.apiMs].reduce((a, x) => a + x, 0))),
        dynamo: {
          readRequests: first.dynamo.readRequests,
          writeRequests: first.dynamo.writeRequests,
          readUnits: round(first.dynamo.readUnits, 2),
          writeUnits: round(first.dynamo.writeUnits, 2),
          estimated: first.dynamo.estimated,
          byOperation: first.dynamo.byOperation,
          perStep: requestsPerStep(first, first.stepOrder),
        },
        emails: first.emails,
        escalationEmails: first.escalationEmails,
        events: first.events,
        lifetimeHours: round(first.lifetimeMs / 3_600_000, 2),
        usd: { ...mid.usd, totalSpread: spread(rs.map((r) => r.usd.total)) },
        polling: pollingEstimate(mid, checkMs, 512),
      };
      return result;
    });
    const happy = scenarios.find((s) => s.scenario === 'happy-path')!;
    const breach = scenarios.find((s) => s.scenario === 'first-response-breach')!;
    const extra = breach.transitions - happy.transitions;
    const escalations = Math.max(1, breach.escalationEmails);
    const clockEvents = breach.states.filter((x) => /Clock$/.test(x)).length;
    const result: CostResult = {
      machine: machineLoad(),
      prices: PRICES,
      scenarios,
      escalation: {
        extraTransitions: extra,
        escalations: breach.escalationEmails,
        clockEvents,
        perEscalation: round(extra / escalations, 2),
        target: TARGETS.transitionsPerEscalation,
        met: extra / escalations <= TARGETS.transitionsPerEscalation,
      },
      happyPath: {
        transitions: happy.transitions,
        usd: happy.usd.total,
        transitionsMet: happy.transitions <= TARGETS.happyPathTransitions,
        usdMet: happy.usd.total < TARGETS.happyPathUsd,
      },
    };
    for (const s of scenarios) {
      const perStep = s.dynamo.perStep.map((p) => `${p.step} ×${p.invocations}: ${p.requests}`).join('; ');
      log(`  ${s.scenario}: DynamoDB requests per step: ${perStep}`);
      log(
        `  ${s.scenario}: ${s.transitions} transitions, ${s.workflowLambdaInvocations} workflow + ${s.apiRequests} API Lambda invocations, ` +
          `Lambda ms/invocation ${fmtSpread(s.lambdaMsPerInvocation)}, DynamoDB ${s.dynamo.readUnits} RRU / ${s.dynamo.writeUnits} WRU ` +
          `(${s.dynamo.readRequests}+${s.dynamo.writeRequests} requests), ${s.emails} emails, ${s.events} events, ` +
          `US$${s.usd.total.toFixed(6)} (${fmtSpread(s.usd.totalSpread, 6)}); polling every minute US$${s.polling.usd.toFixed(6)}` +
          (s.countsStable ? '' : '  [counts varied between runs]'),
      );
    }
    log(
      `  happy path: ${happy.transitions} transitions (target <= ${TARGETS.happyPathTransitions}: ${result.happyPath.transitionsMet ? 'MET' : 'NOT MET'}), ` +
        `US$${happy.usd.total.toFixed(6)} (target < ${TARGETS.happyPathUsd}: ${result.happyPath.usdMet ? 'MET' : 'NOT MET'})`,
    );
    log(
      `  escalation: +${extra} transitions for ${breach.escalationEmails} escalations (${clockEvents} clock events incl. warnings) = ` +
        `${result.escalation.perEscalation}/escalation (target <= ${TARGETS.transitionsPerEscalation}: ${result.escalation.met ? 'MET' : 'NOT MET'})`,
    );
    return result;
  } finally {
    await b.stop();
  }
}

if (isMain(module)) {
  parseFlagsOrExit('bench/cost.ts', process.argv.slice(2), {});
  runCost()
    .then((r) => {
      const file = writePartResult('cost', r);
      console.log(`  written ${file}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
