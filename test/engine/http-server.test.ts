import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  type SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CliUsageError,
  DEFAULT_PORT,
  Engine,
  type LambdaHandler,
  parseCliArgs,
  type SfnServer,
  startSfnServer,
  VirtualClock,
} from '../../local/engine';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'local/engine/cli.ts');
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/local-sfn`;
const START_MS = Date.UTC(2025, 0, 6, 1, 0, 0); // a Monday, 09:00 Beijing time

function client(url: string): SFNClient {
  return new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1, // a retried request would hide a wrong status code
  });
}

/** Resolves with the error the promise rejects with; fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<SFNServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as SFNServiceException;
  }
  throw new Error('expected the call to fail, it succeeded');
}

/** A callback task as the workflows use it: the Lambda gets the token and the task waits for it.
 *  https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token */
const CALLBACK_DEFINITION = {
  Comment: 'notify the owner, wait for the reply',
  QueryLanguage: 'JSONata',
  StartAt: 'NotifyOwner',
  States: {
    NotifyOwner: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:notify-owner`,
        Payload: {
          complaintId: '{% $states.input.complaintId %}',
          taskToken: '{% $states.context.Task.Token %}',
        },
      },
      HeartbeatSeconds: 3600,
      TimeoutSeconds: 259200,
      Output: "{% $merge([$states.input, {'reply': $states.result}]) %}",
      Next: 'Closed',
    },
    Closed: { Type: 'Succeed' },
  },
};

const PASS_DEFINITION = {
  StartAt: 'Hello',
  States: { Hello: { Type: 'Pass', Result: { greeting: 'hello' }, End: true } },
};

describe('Step Functions HTTP API (AWS JSON 1.0) driven by @aws-sdk/client-sfn', () => {
  let clock: VirtualClock;
  let engine: Engine;
  let server: SfnServer;
  let sfn: SFNClient;
  const notified: Array<{ complaintId: string; taskToken: string }> = [];

  const notifyOwner: LambdaHandler = async (event) => {
    notified.push(event as { complaintId: string; taskToken: string });
    return { queued: true };
  };

  beforeAll(async () => {
    clock = new VirtualClock(START_MS);
    engine = new Engine({
      clock,
      resolveLambda: (fn) => (fn === 'notify-owner' || fn.endsWith(':function:notify-owner') ? notifyOwner : undefined),
    });
    server = await startSfnServer(engine);
    sfn = client(server.url);
  });

  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
    await engine?.close();
  });

  async function tokenFor(complaintId: string): Promise<string> {
    await engine.settle();
    const hit = notified.find((n) => n.complaintId === complaintId);
    if (!hit) throw new Error(`the Lambda was never invoked for ${complaintId}`);
    return hit.taskToken;
  }

  it('runs a whole callback lifecycle: create, start, token, heartbeat, success, history', async () => {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: 'complaint-callback',
        definition: JSON.stringify(CALLBACK_DEFINITION),
        roleArn: ROLE,
      }),
    );
    expect(created.stateMachineArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:complaint-callback`);
    // Timestamps cross the wire as epoch seconds and come back as Dates on the engine's clock.
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.creationDate!.getTime()).toBe(START_MS);

    const input = { complaintId: 'C-1' };
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: created.stateMachineArn, name: 'c-1', input: JSON.stringify(input) }),
    );
    expect(started.executionArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:execution:complaint-callback:c-1`);
    expect(started.startDate!.getTime()).toBe(START_MS);

    const token = await tokenFor('C-1');
    expect(typeof token).toBe('string');
    expect(token.length).toBeGreaterThanOrEqual(22); // >= 128 random bits in any sane encoding

    // Two heartbeats 50 minutes apart keep a task with HeartbeatSeconds 3600 alive for 100 minutes.
    await clock.advance(3000_000);
    expect(await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }))).toMatchObject({});
    await clock.advance(3000_000);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await clock.advance(3000_000);
    const waiting = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(waiting.status).toBe('RUNNING');

    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ decision: 'accepted' }) }));
    await engine.settle();

    const done = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ complaintId: 'C-1', reply: { decision: 'accepted' } });
    expect(JSON.parse(done.input!)).toEqual(input);
    expect(done.startDate!.getTime()).toBe(START_MS);
    expect(done.stopDate!.getTime()).toBe(START_MS + 9000_000);

    // Event types as the HistoryEvent reference lists them, in the order AWS records a callback task.
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    const events = history.events!;
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    for (const e of events) expect(e.timestamp).toBeInstanceOf(Date);
    expect(events[0].timestamp!.getTime()).toBe(START_MS);
    expect(events.at(-1)!.timestamp!.getTime()).toBe(START_MS + 9000_000);
    expect(JSON.parse(events[0].executionStartedEventDetails!.input!)).toEqual(input);
    expect(events[1].stateEnteredEventDetails!.name).toBe('NotifyOwner');
    expect(events[2].taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
    expect(JSON.parse(events[5].taskSucceededEventDetails!.output!)).toEqual({ decision: 'accepted' });
    expect(JSON.parse(events.at(-1)!.executionSucceededEventDetails!.output!)).toEqual(JSON.parse(done.output!));

    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);
    expect(reversed.nextToken).toBeTruthy();
  });

  it('fails the task on SendTaskFailure with the error and cause given', async () => {
    const arn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:complaint-callback`;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: arn, name: 'c-2', input: JSON.stringify({ complaintId: 'C-2' }) }),
    );
    const token = await tokenFor('C-2');
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Owner.Refused', cause: 'not my region' }));
    await engine.settle();
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Owner.Refused');
    expect(failed.cause).toBe('not my region');
  });

  it('starts idempotently by name, lists, stops, updates and deletes', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'ops', definition: JSON.stringify(CALLBACK_DEFINITION), roleArn: ROLE }),
    );
    const input = JSON.stringify({ complaintId: 'C-3' });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c-3', input }));
    // Same name and input while running: the same execution (API_StartExecution, "idempotent").
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c-3', input }));
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate!.getTime()).toBe(first.startDate!.getTime());
    await engine.settle();

    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }));
    expect(running.executions!.map((e) => e.name)).toEqual(['c-3']);
    expect(running.executions![0].startDate).toBeInstanceOf(Date);

    const stopped = await sfn.send(
      new StopExecutionCommand({ executionArn: first.executionArn, error: 'Operator.Cancelled', cause: 'duplicate' }),
    );
    expect(stopped.stopDate).toBeInstanceOf(Date);
    const aborted = await sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn }));
    expect(aborted.status).toBe('ABORTED');
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }))).executions).toEqual([]);
    expect(
      (await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }))).executions!.map((e) => e.name),
    ).toEqual(['c-3']);

    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify(PASS_DEFINITION) }));
    expect(updated.updateDate).toBeInstanceOf(Date);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(JSON.parse(described.definition!)).toEqual(PASS_DEFINITION);
    expect(described.name).toBe('ops');
    expect(described.status).toBe('ACTIVE');

    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name)).toContain('ops');

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const after = await sfn.send(new ListStateMachinesCommand({}));
    expect(after.stateMachines!.map((m) => m.name)).not.toContain('ops');
  });

  it('fails with ExecutionAlreadyExists when a name is reused with a different input', async () => {
    const stateMachineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:complaint-callback`;
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c-4', input: JSON.stringify({ complaintId: 'C-4' }) }));
    const err = await rejection(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'c-4', input: JSON.stringify({ complaintId: 'other' }) })),
    );
    expect(err).toBeInstanceOf(ExecutionAlreadyExists);
    expect(err.name).toBe('ExecutionAlreadyExists');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.$fault).toBe('client');
    expect(err.message).not.toBe('UnknownError');
  });

  it('fails with TaskDoesNotExist for a token this engine never issued', async () => {
    // A genuine token from another engine: well-formed, but unknown here.
    const otherClock = new VirtualClock(START_MS);
    const otherTokens: string[] = [];
    const other = new Engine({
      clock: otherClock,
      resolveLambda: () => async (event) => {
        otherTokens.push((event as { taskToken: string }).taskToken);
        return {};
      },
    });
    try {
      const { stateMachineArn } = await other.createStateMachine({
        name: 'elsewhere',
        definition: JSON.stringify(CALLBACK_DEFINITION),
        roleArn: ROLE,
      });
      await other.startExecution({ stateMachineArn, name: 'x', input: JSON.stringify({ complaintId: 'X' }) });
      await other.settle();
      expect(otherTokens).toHaveLength(1);

      const err = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: otherTokens[0], output: '{}' })));
      expect(err).toBeInstanceOf(TaskDoesNotExist);
      expect(err.$metadata.httpStatusCode).toBe(400);
      const beat = await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken: otherTokens[0] })));
      expect(beat).toBeInstanceOf(TaskDoesNotExist);
    } finally {
      await other.close();
    }
  });

  it('fails with InvalidOutput, InvalidToken and, once the heartbeat lapses, TaskTimedOut', async () => {
    // Exceptions of SendTaskSuccess / SendTaskHeartbeat as the API reference lists them.
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
    const stateMachineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:complaint-callback`;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'c-5', input: JSON.stringify({ complaintId: 'C-5' }) }),
    );
    const token = await tokenFor('C-5');

    const notJson = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'accepted' })));
    expect(notJson).toBeInstanceOf(InvalidOutput);
    const malformed = await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not a token at all!' })));
    expect(malformed).toBeInstanceOf(InvalidToken);

    await clock.advance(3601_000); // past HeartbeatSeconds 3600 with no heartbeat
    const failed = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('States.HeartbeatTimeout');
    const late = await rejection(sfn.send(new SendTaskHeartbeatCommand({ taskToken: token })));
    expect(late).toBeInstanceOf(TaskTimedOut);
    const lateSuccess = await rejection(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })));
    expect(lateSuccess).toBeInstanceOf(TaskTimedOut);
  });

  it('fails with InvalidDefinition, naming the reason, for a Next that goes nowhere', async () => {
    const broken = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };
    const err = await rejection(
      sfn.send(new CreateStateMachineCommand({ name: 'broken', definition: JSON.stringify(broken), roleArn: ROLE })),
    );
    expect(err).toBeInstanceOf(InvalidDefinition);
    expect(err.message).toMatch(/Nowhere/);
    const unparsable = await rejection(
      sfn.send(new CreateStateMachineCommand({ name: 'broken2', definition: '{"StartAt":', roleArn: ROLE })),
    );
    expect(unparsable).toBeInstanceOf(InvalidDefinition);
  });

  it('fails with StateMachineDoesNotExist for an unknown state machine', async () => {
    const stateMachineArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:never-created`;
    const described = await rejection(sfn.send(new DescribeStateMachineCommand({ stateMachineArn })));
    expect(described).toBeInstanceOf(StateMachineDoesNotExist);
    const started = await rejection(sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' })));
    expect(started).toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('fails with UnknownOperationException for an operation the API does not have', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.LaunchRocket' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    const body = (await res.json()) as { __type: string; message: string };
    expect(body.__type).toMatch(/#UnknownOperationException$/);
    expect(body.message).toMatch(/LaunchRocket/);

    // Engine methods that are not API operations must not be reachable either.
    const settle = await fetch(server.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.Close' },
      body: '{}',
    });
    expect(settle.status).toBe(400);
    const missing = await fetch(server.url, { method: 'POST', body: '{}' });
    expect(missing.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });

  it('fails with SerializationException for a body that is not a JSON object', async () => {
    for (const body of ['{"stateMachineArn": ', '[1,2]', '"text"']) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.ListStateMachines' },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
      expect(((await res.json()) as { __type: string }).__type).toMatch(/#SerializationException$/);
    }
  });

  it('answers a signed request regardless of its signature, and returns epoch-second timestamps', async () => {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.DescribeStateMachine',
        Authorization: 'AWS4-HMAC-SHA256 Credential=nobody/20250106/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: JSON.stringify({ stateMachineArn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:complaint-callback` }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    const body = (await res.json()) as { creationDate: unknown };
    expect(body.creationDate).toBe(START_MS / 1000);
  });

  it('fails with a 500 InternalFailure for an engine bug, logging the stack but not sending it', async () => {
    // The real engine has no way to hit this path on purpose, so a subclass plants the bug.
    class BuggyEngine extends Engine {
      override async describeExecution(): Promise<never> {
        throw new TypeError('planted bug: cannot read properties of undefined');
      }
    }
    const buggy = new BuggyEngine({ clock: new VirtualClock(START_MS) });
    const logged: string[] = [];
    const buggyServer = await startSfnServer(buggy, { log: (line) => logged.push(line) });
    const buggyClient = client(buggyServer.url);
    try {
      const err = await rejection(
        buggyClient.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:a:b` })),
      );
      expect(err.name).toBe('InternalFailure');
      expect(err.$metadata.httpStatusCode).toBe(500);
      expect(err.$fault).toBe('server');
      expect(err.message).not.toMatch(/planted bug/);
      expect(logged.join('\n')).toMatch(/planted bug/);
      expect(logged.join('\n')).toMatch(/http-server\.test\.ts/); // the stack, not just the message
    } finally {
      buggyClient.destroy();
      await buggyServer.close();
      await buggy.close();
    }
  });
});

describe('sfn-local command line', () => {
  it('parses its flags', () => {
    expect(parseCliArgs([])).toEqual({ port: DEFAULT_PORT, host: '127.0.0.1', stateDir: undefined, timeScale: 1 });
    expect(parseCliArgs(['--port', '0', '--time-scale', '3600', '--state-dir', 'data/sfn'])).toEqual({
      port: 0,
      host: '127.0.0.1',
      stateDir: path.resolve('data/sfn'),
      timeScale: 3600,
    });
    expect(parseCliArgs(['--port=9000']).port).toBe(9000);
  });

  it('fails on bad flags with a message naming the flag and what it expects', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--port', 'abc'], /--port expects an integer from 0 to 65535.*'abc'/],
      [['--port', '70000'], /--port.*'70000'/],
      [['--port', '-1'], /port/],
      [['--time-scale', '0'], /--time-scale expects a positive number.*'0'/],
      [['--time-scale', 'fast'], /--time-scale.*'fast'/],
      [['--state-dir', ''], /--state-dir expects a directory/],
      [['--prot', '8083'], /--prot/],
      [['--port'], /--port/],
      [['serve'], /serve/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(CliUsageError);
      expect(() => parseCliArgs(argv), argv.join(' ')).toThrow(message);
    }
  });
});

describe('sfn-local as a child process', () => {
  const children: ChildProcessWithoutNullStreams[] = [];
  let stateDir: string;

  beforeAll(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-local-test-'));
  });

  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
  }

  interface RunningCli {
    url: string;
    stdout: () => string;
    stderr: () => string;
    /** Sends the signal and resolves with the exit code. */
    stop(signal: NodeJS.Signals): Promise<number | null>;
  }

  async function startCli(args: string[]): Promise<RunningCli> {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO, env: { ...process.env } });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(stdout);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`sfn-local exited (${code}) before listening: ${stderr}`)));
    });
    return {
      url,
      stdout: () => stdout,
      stderr: () => stderr,
      stop(signal) {
        child.kill(signal);
        return exited;
      },
    };
  }

  it('serves the API on the port given, scales time, exits cleanly on SIGTERM and keeps its state dir', async () => {
    const port = await freePort();
    const first = await startCli(['--port', String(port), '--time-scale', '3600', '--state-dir', stateDir]);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    expect(first.stdout().trim().split('\n')).toHaveLength(1);

    let sfn = client(first.url);
    let executionArn: string;
    let stopDate: Date;
    try {
      expect((await sfn.send(new ListStateMachinesCommand({}))).stateMachines).toEqual([]);
      // Two virtual hours at 3600 virtual seconds per real second: about two real seconds.
      const definition = {
        StartAt: 'Cool',
        States: { Cool: { Type: 'Wait', Seconds: 7200, Next: 'Done' }, Done: { Type: 'Pass', Result: 'ok', End: true } },
      };
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({ name: 'cooldown', definition: JSON.stringify(definition), roleArn: ROLE }),
      );
      ({ executionArn } = (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'cool-1', input: '{}' }))) as {
        executionArn: string;
      });
      const realStart = Date.now();
      let described;
      do {
        await new Promise((r) => setTimeout(r, 100));
        described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      } while (described.status === 'RUNNING' && Date.now() - realStart < 15_000);
      expect(described.status).toBe('SUCCEEDED');
      expect(described.output).toBe('"ok"');
      const virtualMs = described.stopDate!.getTime() - described.startDate!.getTime();
      expect(virtualMs).toBeGreaterThanOrEqual(7200_000);
      expect(Date.now() - realStart).toBeGreaterThanOrEqual(1500);
      stopDate = described.stopDate!;
    } finally {
      sfn.destroy();
    }
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.stderr()).toMatch(/SIGTERM, shutting down/);

    // A second run on the same directory (and SIGINT this time) sees what the first one did,
    // and its clock resumes from the virtual time reached instead of falling back to wall time.
    const second = await startCli(['--port', '0', '--time-scale', '3600', '--state-dir', stateDir]);
    sfn = client(second.url);
    try {
      const machines = (await sfn.send(new ListStateMachinesCommand({}))).stateMachines!;
      expect(machines.map((m) => m.name)).toEqual(['cooldown']);
      const before = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(before.status).toBe('SUCCEEDED');
      const { creationDate } = await sfn.send(
        new CreateStateMachineCommand({ name: 'later', definition: JSON.stringify(PASS_DEFINITION), roleArn: ROLE }),
      );
      expect(creationDate!.getTime()).toBeGreaterThanOrEqual(stopDate.getTime());
    } finally {
      sfn.destroy();
    }
    expect(await second.stop('SIGINT')).toBe(0);
  });

  it('fails to start on a bad flag, saying which flag and what it expected', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--port', 'eighty'], { cwd: REPO, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--port expects an integer from 0 to 65535 .*'eighty'/);
    expect(result.stdout).toBe('');
  });

  // The AWS CLI is a second, independent client (botocore's JSON parser); run it where installed.
  const awsCli = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!awsCli)('answers the AWS CLI, including its errors', { timeout: 180_000 }, async () => {
    const engine = new Engine({ clock: new VirtualClock(START_MS) });
    const server = await startSfnServer(engine);
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
    };
    const aws = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const p = spawn('aws', ['stepfunctions', ...args, '--endpoint-url', server.url, '--output', 'json'], { env });
        let stdout = '';
        let stderr = '';
        p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        p.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    try {
      const created = await aws(
        'create-state-machine',
        '--name',
        'from-cli',
        '--definition',
        JSON.stringify(PASS_DEFINITION),
        '--role-arn',
        ROLE,
      );
      expect(created.stderr).toBe('');
      expect(JSON.parse(created.stdout).stateMachineArn).toBe(`arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:from-cli`);
      const listed = await aws('list-state-machines');
      expect(JSON.parse(listed.stdout).stateMachines.map((m: { name: string }) => m.name)).toEqual(['from-cli']);
      const missing = await aws('describe-state-machine', '--state-machine-arn', `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:nope`);
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toMatch(/StateMachineDoesNotExist/);
    } finally {
      await server.close();
      await engine.close();
    }
  });
});
