/**
 * The Step Functions service over the interpreter: state machines, executions, task tokens,
 * history, persistence. Request/response members use the API's camelCase names; timestamps are Dates.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CreateStateMachineInput,
  DeleteStateMachineInput,
  DeleteStateMachineOutput,
  DescribeExecutionInput,
  DescribeStateMachineInput,
  ExecutionListItem,
  GetExecutionHistoryInput,
  ListExecutionsInput,
  ListStateMachinesInput,
  LoggingConfiguration,
  SendTaskFailureInput,
  SendTaskFailureOutput,
  SendTaskHeartbeatInput,
  SendTaskHeartbeatOutput,
  SendTaskSuccessInput,
  SendTaskSuccessOutput,
  StartExecutionInput,
  StateMachineType,
  StopExecutionInput,
  TracingConfiguration,
  UpdateStateMachineInput,
} from '@aws-sdk/client-sfn';
import { type Clock, ScaledClock, type TimerHandle, VirtualClock } from './clock';
import { SfnApiError } from './errors';
import { type HistoryEvent, JsonText } from './history';
import { type ExecutionStatus, type MachineDefinition, Run } from './interpreter';
import type {
  Answered,
  CreateStateMachineAnswer,
  DescribeExecutionAnswer,
  DescribeStateMachineAnswer,
  GetExecutionHistoryAnswer,
  HistoryEventAnswer,
  ListExecutionsAnswer,
  ListStateMachinesAnswer,
  StartExecutionAnswer,
  StopExecutionAnswer,
  UpdateStateMachineAnswer,
} from './service-types';
import { IsoTimes, type RunHost, type TokenEntry } from './step';
import { FileStore, type StoredMachine, type UnreadableJournal } from './store';
import { DefaultTaskInvoker, type LambdaHandler, type TaskInvoker } from './tasks';
import { validateDefinition } from './validate';

export interface EngineOptions {
  clock?: Clock;
  stateDir?: string;
  region?: string;
  accountId?: string;
  resolveLambda?: (functionArnOrName: string) => LambdaHandler | undefined;
  random?: () => number;
  /** Replace the integrations (tests); default: in-process Lambda + AWS SDK v3 clients. */
  tasks?: TaskInvoker;
  /** Where the engine reports what it cannot do on its own, such as a journal it will not replay; default console.warn. */
  warn?: (message: string) => void;
}

type Obj = Record<string, any>;

const NAME_RE = /^[A-Za-z0-9_-]{1,80}$/;
const TOKEN_RE = /^AQ[A-Za-z0-9_-]{64}$/;
const MAX_OUTPUT = 256 * 1024;

function notEmptyString(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length === 0)
    throw new SfnApiError('ValidationException', `Value at '${field}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function page<T>(items: T[], maxResults: unknown, nextToken: unknown): { items: T[]; nextToken?: string } {
  const max = maxResults === undefined || maxResults === 0 ? 100 : Number(maxResults);
  if (!Number.isInteger(max) || max < 0 || max > 1000)
    throw new SfnApiError('ValidationException', 'maxResults must be between 0 and 1000');
  let start = 0;
  if (nextToken !== undefined && nextToken !== null) {
    const n = Number(Buffer.from(String(nextToken), 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new SfnApiError('InvalidToken', 'Invalid pagination token');
    start = n;
  }
  const slice = items.slice(start, start + max);
  const more = start + max < items.length;
  return { items: slice, nextToken: more ? Buffer.from(String(start + max)).toString('base64url') : undefined };
}

export class Engine {
  readonly clock: Clock;
  readonly region: string;
  readonly accountId: string;
  private readonly machines = new Map<string, StoredMachine>();
  private readonly runs = new Map<string, Run>();
  private readonly runsByMachine = new Map<string, Run[]>();
  private readonly tokens = new Map<string, TokenEntry>();
  private readonly closedTokens = new Map<string, 'timeout' | 'closed'>();
  private readonly timers = new Set<TimerHandle>();
  private readonly parsedDefs = new Map<string, MachineDefinition>();
  /** Real timers must be cleared on close; virtual ones just never fire into a closed engine. */
  private readonly trackTimers: boolean;
  private readonly host: RunHost;
  private readonly store?: FileStore;
  private readonly random: () => number;
  private busy = 0;
  private settleWaiters: Array<() => void> = [];
  private settleCheckScheduled = false;
  private closed = false;
  private detachClock?: () => void;
  private readonly warn: (message: string) => void;
  /** Stored executions found at start whose journal format this engine does not replay. */
  readonly unreadableJournals: UnreadableJournal[] = [];

  constructor(opts: EngineOptions = {}) {
    this.clock = opts.clock ?? new ScaledClock({ scale: 1 });
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '123456789012';
    this.random = opts.random ?? Math.random;
    this.warn = opts.warn ?? ((m) => console.warn(m));
    this.trackTimers = !(this.clock instanceof VirtualClock);
    const tasks =
      opts.tasks ?? new DefaultTaskInvoker({ region: this.region, accountId: this.accountId, resolveLambda: opts.resolveLambda });
    this.host = {
      clock: this.clock,
      region: this.region,
      accountId: this.accountId,
      tasks,
      random: () => this.random(),
      uuid: () => (opts.random ? uuidFrom(opts.random) : randomUUID()),
      // Task tokens are unguessable whatever `random` is: 384 bits from the CSPRNG.
      newToken: () => `AQ${randomBytes(48).toString('base64url')}`,
      // Not an async function: a parked execution then holds one promise here, not a frame.
      block: <T>(p: Promise<T>) => {
        this.workEnded();
        return p.finally(() => {
          this.busy++;
        });
      },
      workStarted: () => {
        this.busy++;
      },
      workEnded: () => this.workEnded(),
      schedule: (due, fn) => this.schedule(due, fn),
      tokens: this.tokens,
      isoTimes: new IsoTimes(),
      closedTokens: this.closedTokens,
      onEnd: () => undefined,
    };
    this.detachClock = this.clock.attach?.(() => this.settle());
    if (opts.stateDir) {
      this.store = new FileStore(opts.stateDir);
      this.restore();
    }
  }

  // ---- work accounting (settle) ----

  private workEnded(): void {
    this.busy--;
    if (this.busy <= 0 && this.settleWaiters.length > 0) this.scheduleSettleCheck();
  }

  private scheduleSettleCheck(): void {
    if (this.settleCheckScheduled) return;
    this.settleCheckScheduled = true;
    // A macrotask later: promise continuations already queued run first, so a momentary
    // zero between a timer firing and the woken thread resuming is not mistaken for idleness.
    setImmediate(() => {
      this.settleCheckScheduled = false;
      if (this.busy <= 0) {
        const ws = this.settleWaiters;
        this.settleWaiters = [];
        for (const w of ws) w();
      }
    });
  }

  /** Resolves once no execution has runnable work (all wait on timers/tokens, or ended). */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      this.settleWaiters.push(resolve);
      if (this.busy <= 0) this.scheduleSettleCheck();
    });
  }

  private schedule(due: number, fn: () => void): TimerHandle {
    if (due <= this.clock.now()) {
      // Already due (e.g. a deadline that passed while the engine was down): fire at once, as
      // counted work so settle() waits for it, without needing the clock to move.
      let cancelled = false;
      this.busy++;
      setImmediate(() => {
        try {
          if (!cancelled && !this.closed) fn();
        } finally {
          this.workEnded();
        }
      });
      return { cancel: () => void (cancelled = true) };
    }
    if (!this.trackTimers) return this.clock.schedule(due, () => void (this.closed || fn()));
    // eslint-disable-next-line prefer-const
    let h: TimerHandle;
    const inner = this.clock.schedule(due, () => {
      this.timers.delete(h);
      if (!this.closed) fn();
    });
    h = {
      cancel: () => {
        inner.cancel();
        this.timers.delete(h);
      },
    };
    this.timers.add(h);
    return h;
  }

  // ---- ARNs ----

  private smArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  private machineFor(arn: unknown): StoredMachine {
    const a = notEmptyString(arn, 'stateMachineArn');
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+$/.test(a))
      throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${a}'`);
    const m = this.machines.get(a);
    if (!m || m.deleted) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${a}'`);
    return m;
  }

  private runFor(arn: unknown): Run {
    const a = notEmptyString(arn, 'executionArn');
    if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/.test(a))
      throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${a}'`);
    const r = this.runs.get(a);
    if (!r) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${a}'`);
    return r;
  }

  private checkDefinition(text: unknown): MachineDefinition {
    const t = notEmptyString(text, 'definition');
    const problems = validateDefinition(t);
    if (problems.length) throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${problems.join('; ')}'`);
    return JSON.parse(t) as MachineDefinition;
  }

  private persistMachines(): void {
    this.store?.saveMachines([...this.machines.values()]);
  }

  // ---- state machines ----

  async createStateMachine(req: CreateStateMachineInput): Promise<CreateStateMachineAnswer> {
    const name = notEmptyString(req?.name, 'name');
    if (!NAME_RE.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const definition = notEmptyString(req.definition, 'definition');
    this.checkDefinition(definition);
    const roleArn = notEmptyString(req.roleArn, 'roleArn');
    const type = req.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new SfnApiError('ValidationException', `Invalid type ${type}`);
    const arn = this.smArn(name);
    const existing = this.machines.get(arn);
    if (existing && !existing.deleted) {
      // Idempotent when everything matches, as on AWS.
      if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type)
        return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const m: StoredMachine = {
      stateMachineArn: arn,
      name,
      definition,
      roleArn,
      type,
      creationDate: this.clock.now(),
      loggingConfiguration: req.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: req.tracingConfiguration ?? { enabled: false },
      revisionId: randomUUID(),
    };
    this.machines.set(arn, m);
    this.persistMachines();
    return { stateMachineArn: arn, creationDate: new Date(m.creationDate) };
  }

  async updateStateMachine(req: UpdateStateMachineInput): Promise<UpdateStateMachineAnswer> {
    const m = this.machineFor(req?.stateMachineArn);
    if (
      req.definition === undefined &&
      req.roleArn === undefined &&
      req.loggingConfiguration === undefined &&
      req.tracingConfiguration === undefined
    )
      throw new SfnApiError(
        'MissingRequiredParameter',
        'Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified',
      );
    if (req.definition !== undefined) {
      this.checkDefinition(req.definition);
      m.definition = req.definition;
    }
    if (req.roleArn !== undefined) m.roleArn = notEmptyString(req.roleArn, 'roleArn');
    if (req.loggingConfiguration !== undefined) m.loggingConfiguration = req.loggingConfiguration;
    if (req.tracingConfiguration !== undefined) m.tracingConfiguration = req.tracingConfiguration;
    m.updateDate = this.clock.now();
    m.revisionId = randomUUID();
    this.persistMachines();
    return { updateDate: new Date(m.updateDate), revisionId: m.revisionId };
  }

  async describeStateMachine(req: DescribeStateMachineInput): Promise<DescribeStateMachineAnswer> {
    const m = this.machineFor(req?.stateMachineArn);
    return {
      stateMachineArn: m.stateMachineArn,
      name: m.name,
      status: 'ACTIVE',
      definition: m.definition,
      roleArn: m.roleArn,
      type: m.type as StateMachineType,
      creationDate: new Date(m.creationDate),
      loggingConfiguration: m.loggingConfiguration as LoggingConfiguration,
      tracingConfiguration: m.tracingConfiguration as TracingConfiguration,
      revisionId: m.revisionId,
    };
  }

  async listStateMachines(req: ListStateMachinesInput = {}): Promise<ListStateMachinesAnswer> {
    const all = [...this.machines.values()].filter((m) => !m.deleted).sort((a, b) => a.creationDate - b.creationDate);
    const p = page(all, req?.maxResults, req?.nextToken);
    return {
      stateMachines: p.items.map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: m.type as StateMachineType,
        creationDate: new Date(m.creationDate),
      })),
      ...(p.nextToken ? { nextToken: p.nextToken } : {}),
    };
  }

  async deleteStateMachine(req: DeleteStateMachineInput): Promise<DeleteStateMachineOutput> {
    const arn = notEmptyString(req?.stateMachineArn, 'stateMachineArn');
    const m = this.machines.get(arn);
    if (m) {
      // Running executions keep running on their own copy of the definition, as on AWS.
      m.deleted = true;
      this.machines.delete(arn);
      this.persistMachines();
    }
    return {};
  }

  // ---- executions ----

  async startExecution(req: StartExecutionInput): Promise<StartExecutionAnswer> {
    const m = this.machineFor(req?.stateMachineArn);
    const name = req.name ?? randomUUID();
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw new SfnApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = req.input ?? '{}';
    let input: unknown;
    try {
      input = JSON.parse(inputText);
    } catch {
      throw new SfnApiError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: 'Unexpected token in ${String(inputText).slice(0, 40)}'`,
      );
    }
    if (Buffer.byteLength(inputText) > MAX_OUTPUT)
      throw new SfnApiError('InvalidExecutionInput', 'The input exceeds the maximum size of 262144 bytes');
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${m.name}:${name}`;
    const existing = this.runs.get(executionArn);
    if (existing) {
      // Standard workflows: same name + same input while running returns the running execution.
      if (existing.status === 'RUNNING' && existing.inputText === inputText) return { executionArn, startDate: new Date(existing.startMs) };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startMs = this.clock.now();
    const meta = {
      executionArn,
      name,
      stateMachineArn: m.stateMachineArn,
      stateMachineName: m.name,
      roleArn: m.roleArn,
      definition: m.definition,
      input: inputText,
      startMs,
    };
    const journal = this.store?.newJournal(meta);
    this.launch({
      executionArn,
      name,
      stateMachineArn: m.stateMachineArn,
      stateMachineName: m.name,
      roleArn: m.roleArn,
      definition: this.parsed(m.definition),
      input,
      inputText,
      startMs,
      journal,
    });
    return { executionArn, startDate: new Date(startMs) };
  }

  /** Definitions are never mutated: executions of one revision share one parsed copy. */
  private parsed(text: string): MachineDefinition {
    let d = this.parsedDefs.get(text);
    if (!d) {
      if (this.parsedDefs.size > 100) this.parsedDefs.clear();
      this.parsedDefs.set(text, (d = JSON.parse(text) as MachineDefinition));
    }
    return d;
  }

  private launch(init: ConstructorParameters<typeof Run>[1]): Run {
    const run = new Run(this.host, init);
    this.runs.set(run.executionArn, run);
    let list = this.runsByMachine.get(run.stateMachineArn);
    if (!list) this.runsByMachine.set(run.stateMachineArn, (list = []));
    list.push(run);
    run.start();
    return run;
  }

  private restore(): void {
    const store = this.store!;
    for (const m of store.loadMachines()) this.machines.set(m.stateMachineArn, m);
    const { executions, unreadable } = store.loadExecutions();
    this.unreadableJournals.push(...unreadable);
    for (const u of unreadable) {
      this.warn(
        `Execution ${u.executionArn ?? '(unknown)'} is not resumed: its journal ${u.file} has ${u.reason}. ` +
          'The file is left as it is; finish the execution with the engine version that wrote it, or delete the file.',
      );
    }
    for (const { meta, journal } of executions) {
      this.launch({
        executionArn: meta.executionArn,
        name: meta.name,
        stateMachineArn: meta.stateMachineArn,
        stateMachineName: meta.stateMachineName,
        roleArn: meta.roleArn,
        definition: this.parsed(meta.definition),
        input: JSON.parse(meta.input),
        inputText: meta.input,
        startMs: meta.startMs,
        journal,
      });
    }
  }

  private describeRun(r: Run): DescribeExecutionAnswer {
    const out: DescribeExecutionAnswer = {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startMs),
      input: r.inputText,
      inputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
    if (r.status !== 'RUNNING') out.stopDate = new Date(r.stopMs!);
    if (r.status === 'SUCCEEDED') {
      out.output = JSON.stringify(r.output);
      out.outputDetails = { included: true };
    }
    if (r.error) out.error = r.error;
    if (r.cause) out.cause = r.cause;
    return out;
  }

  async describeExecution(req: DescribeExecutionInput): Promise<DescribeExecutionAnswer> {
    return this.describeRun(this.runFor(req?.executionArn));
  }

  async listExecutions(req: ListExecutionsInput): Promise<ListExecutionsAnswer> {
    const m = this.machineFor(req?.stateMachineArn);
    const filter = req.statusFilter as ExecutionStatus | undefined;
    if (filter !== undefined && !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].includes(filter))
      throw new SfnApiError('ValidationException', `Invalid statusFilter ${filter}`);
    const all = (this.runsByMachine.get(m.stateMachineArn) ?? []).filter((r) => !filter || r.status === filter);
    // Most recent first, as AWS lists them.
    const ordered = all.slice().reverse();
    const p = page(ordered, req.maxResults, req.nextToken);
    return {
      executions: p.items.map((r) => {
        const e: Answered<ExecutionListItem> = {
          executionArn: r.executionArn,
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          status: r.status,
          startDate: new Date(r.startMs),
        };
        if (r.status !== 'RUNNING') e.stopDate = new Date(r.stopMs!);
        return e;
      }),
      ...(p.nextToken ? { nextToken: p.nextToken } : {}),
    };
  }

  async stopExecution(req: StopExecutionInput): Promise<StopExecutionAnswer> {
    const r = this.runFor(req?.executionArn);
    r.stop('ABORTED', req.error, req.cause);
    return { stopDate: new Date(r.stopMs ?? this.clock.now()) };
  }

  async getExecutionHistory(req: GetExecutionHistoryInput): Promise<GetExecutionHistoryAnswer> {
    const r = this.runFor(req?.executionArn);
    const includeData = req.includeExecutionData !== false;
    const evs = r.history.map((e, i) => toApiEvent(e, i + 1, includeData));
    if (req.reverseOrder) evs.reverse();
    const p = page(evs, req.maxResults, req.nextToken);
    return { events: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) };
  }

  /** Resolves with the DescribeExecution response once the execution has ended. */
  async waitForExecution(executionArn: string): Promise<DescribeExecutionAnswer> {
    const r = this.runFor(executionArn);
    await r.whenDone();
    return this.describeRun(r);
  }

  // ---- task tokens ----

  private tokenEntry(token: unknown): TokenEntry {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048) throw new SfnApiError('InvalidToken', 'Invalid token');
    const e = this.tokens.get(token);
    if (e) return e;
    const closed = this.closedTokens.get(token);
    if (closed) throw new SfnApiError('TaskTimedOut', `Task Timed Out: 'Provided task does not exist anymore'`);
    if (!TOKEN_RE.test(token)) throw new SfnApiError('InvalidToken', 'Invalid token');
    throw new SfnApiError('TaskDoesNotExist', 'Task does not exist');
  }

  async sendTaskSuccess(req: SendTaskSuccessInput): Promise<SendTaskSuccessOutput> {
    const e = this.tokenEntry(req?.taskToken);
    const text = notEmptyString(req.output, 'output');
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch {
      throw new SfnApiError('InvalidOutput', `Invalid Output: 'The output is not valid JSON'`);
    }
    if (Buffer.byteLength(text) > MAX_OUTPUT) throw new SfnApiError('InvalidOutput', 'The output exceeds the maximum size of 262144 bytes');
    e.settle({ ok: output });
    return {};
  }

  async sendTaskFailure(req: SendTaskFailureInput): Promise<SendTaskFailureOutput> {
    const e = this.tokenEntry(req?.taskToken);
    e.settle({ err: [req.error ?? '', req.cause ?? ''], kind: 'failure' });
    return {};
  }

  async sendTaskHeartbeat(req: SendTaskHeartbeatInput): Promise<SendTaskHeartbeatOutput> {
    this.tokenEntry(req?.taskToken).heartbeat();
    return {};
  }

  /** Stops timers and flushes persisted state. Executions resume from the state dir in a new Engine. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of [...this.timers]) t.cancel();
    this.timers.clear();
    this.detachClock?.();
    this.store?.flush();
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${lowerFirst(type)}EventDetails`;
}

const JSON_FIELDS = new Set(['input', 'output', 'parameters']);

/** One history event as GetExecutionHistory returns it: details under `<type>EventDetails`, payloads as JSON text. */
function toApiEvent(e: HistoryEvent, id: number, includeData: boolean): HistoryEventAnswer {
  const ev: Obj = { timestamp: new Date(e.t), type: e.type, id, previousEventId: e.prev };
  if (e.d) {
    const d: Obj = {};
    for (const [k, v] of Object.entries(e.d)) {
      if (JSON_FIELDS.has(k)) {
        if (!includeData) continue;
        d[k] = v instanceof JsonText ? v.text : JSON.stringify(v === undefined ? null : v);
        // Details of stored payloads, as AWS reports them (nothing is ever truncated here).
        if (k === 'input') d.inputDetails = { truncated: false };
        if (k === 'output') d.outputDetails = { truncated: false };
      } else if (v !== undefined) d[k] = v;
    }
    ev[detailsKey(e.type)] = d;
  }
  // Built by name from the event type: the SDK's union of detail members cannot be checked field by field here.
  return ev as HistoryEventAnswer;
}

function uuidFrom(random: () => number): string {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(random() * 256) & 0xff;
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
