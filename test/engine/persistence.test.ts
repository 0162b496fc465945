import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LambdaHandler } from '../../local/engine';
import { Engine, VirtualClock } from '../../local/engine';
import { ROLE, T0 } from './helpers';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sfn-engine-'));
}

function engineAt(dir: string, clock: VirtualClock, lambdas: Record<string, LambdaHandler> = {}) {
  return new Engine({ clock, stateDir: dir, resolveLambda: (n) => lambdas[n.split(':function:').pop()!.split(':')[0]] });
}

describe('persistence with stateDir', () => {
  it('a waiting execution resumes after a restart and an overdue timer fires at once', async () => {
    const dir = tmpDir();
    const calls: string[] = [];
    const lambdas = {
      step: async (e: any) => {
        calls.push(e.phase);
        return { ...e, done: e.phase };
      },
    };
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1, lambdas);
    const { stateMachineArn } = await e1.createStateMachine({
      name: 'flow',
      roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: 'Before',
        States: {
          Before: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:step',
            Parameters: { phase: 'before' },
            Next: 'Wait',
          },
          Wait: { Type: 'Wait', Seconds: 3600, Next: 'After' },
          After: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:step',
            Parameters: { phase: 'after' },
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await e1.startExecution({ stateMachineArn, name: 'c-1', input: '{}' });
    await e1.settle();
    await clock1.advance(600_000);
    await e1.close();
    expect(calls).toEqual(['before']);

    // Restart two hours later: the one-hour wait is overdue.
    const clock2 = new VirtualClock(T0 + 7200_000);
    const e2 = engineAt(dir, clock2, lambdas);
    await e2.settle();
    const d = await e2.describeExecution({ executionArn });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output ?? '')).toEqual({ phase: 'after', done: 'after' });
    expect(calls).toEqual(['before', 'after']); // the first task was not run again
    expect(d.startDate.getTime()).toBe(T0);
    const h = await e2.getExecutionHistory({ executionArn });
    const exited = h.events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp.getTime()).toBe(T0 + 7200_000);
    expect((await e2.describeStateMachine({ stateMachineArn })).name).toBe('flow');
    await e2.close();
  });

  it('a timer not yet due keeps its due time after a restart', async () => {
    const dir = tmpDir();
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1);
    const { stateMachineArn } = await e1.createStateMachine({
      name: 'w',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } }),
    });
    const { executionArn } = await e1.startExecution({ stateMachineArn, input: '{}' });
    await e1.settle();
    await e1.close();
    const clock2 = new VirtualClock(T0 + 50_000);
    const e2 = engineAt(dir, clock2);
    await e2.settle();
    expect((await e2.describeExecution({ executionArn })).status).toBe('RUNNING');
    await clock2.advance(49_999);
    expect((await e2.describeExecution({ executionArn })).status).toBe('RUNNING');
    await clock2.advance(1);
    const d = await e2.describeExecution({ executionArn });
    expect(d.status).toBe('SUCCEEDED');
    expect(d.stopDate?.getTime()).toBe(T0 + 100_000);
    await e2.close();
  });

  it('task tokens survive a restart (same token, heartbeat deadline kept) and so does idempotent start', async () => {
    const dir = tmpDir();
    const tokens: string[] = [];
    const lambdas = {
      notify: async (e: any) => {
        tokens.push(e.token);
        return {};
      },
    };
    const def = {
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 7200,
          End: true,
        },
      },
    };
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1, lambdas);
    const { stateMachineArn } = await e1.createStateMachine({ name: 'cb', roleArn: ROLE, definition: JSON.stringify(def) });
    const first = await e1.startExecution({ stateMachineArn, name: 'c-9', input: '{"n":1}' });
    await e1.settle();
    await e1.close();
    const clock2 = new VirtualClock(T0 + 60_000);
    const e2 = engineAt(dir, clock2, lambdas);
    await e2.settle();
    expect(tokens).toHaveLength(1); // not re-sent
    expect(await e2.startExecution({ stateMachineArn, name: 'c-9', input: '{"n":1}' })).toEqual(first);
    await e2.sendTaskSuccess({ taskToken: tokens[0], output: '{"ok":true}' });
    const d = await e2.waitForExecution(first.executionArn);
    expect(d.output).toBe('{"ok":true}');
    await e2.close();

    // A third engine replays the finished execution without side effects.
    const e3 = engineAt(dir, new VirtualClock(T0 + 120_000), lambdas);
    await e3.settle();
    expect((await e3.describeExecution({ executionArn: first.executionArn })).status).toBe('SUCCEEDED');
    expect(tokens).toHaveLength(1);
    await e3.close();
  });

  it('a task token whose timeout passed while the engine was down times out at once', async () => {
    const dir = tmpDir();
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1, { notify: async () => ({}) });
    const { stateMachineArn } = await e1.createStateMachine({
      name: 'cb2',
      roleArn: ROLE,
      definition: JSON.stringify({
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'notify', Payload: { 't.$': '$$.Task.Token' } },
            TimeoutSeconds: 60,
            End: true,
          },
        },
      }),
    });
    const { executionArn } = await e1.startExecution({ stateMachineArn, input: '{}' });
    await e1.settle();
    await e1.close();
    const clock2 = new VirtualClock(T0 + 3600_000);
    const e2 = engineAt(dir, clock2, { notify: async () => ({}) });
    await e2.settle(); // no clock advance needed
    const d = await e2.describeExecution({ executionArn });
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('States.Timeout');
    await e2.close();
  });

  it('a stopped execution stays stopped after a restart', async () => {
    const dir = tmpDir();
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1);
    const { stateMachineArn } = await e1.createStateMachine({
      name: 's',
      roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 100, End: true } } }),
    });
    const { executionArn } = await e1.startExecution({ stateMachineArn, input: '{}' });
    await e1.settle();
    await e1.stopExecution({ executionArn, error: 'Stop', cause: 'now' });
    await e1.close();
    const e2 = engineAt(dir, new VirtualClock(T0 + 500_000));
    await e2.settle();
    const d = await e2.describeExecution({ executionArn });
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Stop' });
    await e2.close();
  });

  it('replays Parallel branches (a token wait beside a timer) and continues both after a restart', async () => {
    const dir = tmpDir();
    const tokens: string[] = [];
    const sent: string[] = [];
    const lambdas = {
      ask: async (e: any) => {
        tokens.push(e.token);
        return {};
      },
      warn: async (e: any) => {
        sent.push(e.what);
        return 'warned';
      },
    };
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'Ask',
              States: {
                Ask: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                  Arguments: { FunctionName: 'ask', Payload: { token: '{% $states.context.Task.Token %}' } },
                  End: true,
                },
              },
            },
            {
              StartAt: 'Later',
              States: {
                Later: { Type: 'Wait', Seconds: 3600, Next: 'Warn' },
                Warn: {
                  Type: 'Task',
                  Resource: 'arn:aws:lambda:us-east-1:123456789012:function:warn',
                  Arguments: { what: 'deadline' },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    };
    const clock1 = new VirtualClock(T0);
    const e1 = engineAt(dir, clock1, lambdas);
    const { stateMachineArn } = await e1.createStateMachine({ name: 'par', roleArn: ROLE, definition: JSON.stringify(def) });
    const { executionArn } = await e1.startExecution({ stateMachineArn, input: '{}' });
    await e1.settle();
    await clock1.advance(60_000);
    await e1.close();
    const clock2 = new VirtualClock(T0 + 1800_000);
    const e2 = engineAt(dir, clock2, lambdas);
    await e2.settle();
    expect(tokens).toHaveLength(1);
    expect(sent).toEqual([]);
    await clock2.advance(1800_000);
    expect(sent).toEqual(['deadline']);
    await e2.sendTaskSuccess({ taskToken: tokens[0], output: '"answered"' });
    const d = await e2.waitForExecution(executionArn);
    expect(JSON.parse(d.output ?? '')).toEqual(['answered', 'warned']);
    expect(d.stopDate?.getTime()).toBe(T0 + 3600_000);
    await e2.close();
  });
});
