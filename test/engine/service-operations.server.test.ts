/**
 * The Step Functions operations the AWS CLI asks of the local endpoint besides running executions
 * (local/engine/service-operations.ts), driven by @aws-sdk/client-sfn as the CLI would drive them.
 */

import {
  CreateStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionDoesNotExist,
  InvalidArn,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  ResourceNotFound,
  SFNClient,
  type SFNServiceException,
  StartExecutionCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, VirtualClock } from '../../local/engine';
import { type SfnServer, startSfnServer } from '../../local/engine/http-server';

const ROLE = 'arn:aws:iam::123456789012:role/local-sfn';
const PASS_DEFINITION = JSON.stringify({ StartAt: 'Hello', States: { Hello: { Type: 'Pass', End: true } } });

async function rejection(promise: Promise<unknown>): Promise<SFNServiceException> {
  try {
    await promise;
  } catch (err) {
    return err as SFNServiceException;
  }
  throw new Error('expected the call to fail, it succeeded');
}

describe('Step Functions operations for the AWS CLI on the local endpoint', () => {
  let engine: Engine;
  let server: SfnServer;
  let sfn: SFNClient;
  let stateMachineArn: string;
  let executionArn: string;

  beforeAll(async () => {
    engine = new Engine({ clock: new VirtualClock(Date.UTC(2026, 11, 2)) });
    server = await startSfnServer(engine);
    sfn = new SFNClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name: 'hello', definition: PASS_DEFINITION, roleArn: ROLE })))
      .stateMachineArn!;
    executionArn = (await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{}' }))).executionArn!;
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.close();
    await engine?.close();
  });

  it('describes the state machine of an execution', async () => {
    const out = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(out).toMatchObject({ stateMachineArn, name: 'hello', definition: PASS_DEFINITION, roleArn: ROLE });
    expect(out.updateDate).toBeInstanceOf(Date);
  });

  it('fails DescribeStateMachineForExecution for an unknown execution with ExecutionDoesNotExist', async () => {
    const err = await rejection(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: `${executionArn}-nope` })));
    expect(err).toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('lists no tags for a state machine', async () => {
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([]);
  });

  it('fails ListTagsForResource with ResourceNotFound for an unknown state machine and InvalidArn for another ARN', async () => {
    const unknown = await rejection(sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn.replace(/hello$/, 'nope') })));
    expect(unknown).toBeInstanceOf(ResourceNotFound);
    expect(await rejection(sfn.send(new ListTagsForResourceCommand({ resourceArn: 'not-an-arn' })))).toBeInstanceOf(InvalidArn);
  });

  it('validates a definition: OK with no diagnostics', async () => {
    const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: PASS_DEFINITION }));
    expect(out).toMatchObject({ result: 'OK', diagnostics: [], truncated: false });
  });

  it('fails a definition whose Next goes nowhere, and one that is not JSON, with ERROR diagnostics', async () => {
    const broken = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } });
    const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: broken }));
    expect(out.result).toBe('FAIL');
    expect(out.diagnostics?.length).toBeGreaterThan(0);
    expect(out.diagnostics?.every((d) => d.severity === 'ERROR' && d.code === 'SCHEMA_VALIDATION_FAILED')).toBe(true);
    expect(out.diagnostics?.map((d) => d.message).join(' ')).toMatch(/Nowhere/);

    const notJson = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{not json' }));
    expect(notJson).toMatchObject({ result: 'FAIL', diagnostics: [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION' }] });
  });

  it('fails an operation it does not serve with UnknownOperationException naming what it serves', async () => {
    const err = await rejection(sfn.send(new ListActivitiesCommand({})));
    expect(err.name).toBe('UnknownOperationException');
    expect(err.message).toMatch(/AWSStepFunctions\.ListActivities/);
    expect(err.message).toMatch(
      /Served: .*DescribeStateMachineForExecution.*ListTagsForResource.*StartExecution.*ValidateStateMachineDefinition/,
    );
  });
});
