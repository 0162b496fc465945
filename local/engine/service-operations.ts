/**
 * Step Functions operations the local endpoint answers from the Engine's public API, without a
 * method of their own on the Engine: what the AWS CLI and consoles ask besides running executions.
 * Request and response members are those of the Step Functions API (camelCase, AWS JSON 1.0).
 */

import type {
  DescribeStateMachineForExecutionOutput,
  ListTagsForResourceOutput,
  ValidateStateMachineDefinitionDiagnostic,
  ValidateStateMachineDefinitionOutput,
} from '@aws-sdk/client-sfn';
import type { Engine } from './engine';
import { SfnApiError } from './errors';
import { validateDefinition } from './validate';

type Obj = Record<string, unknown>;
type ServiceOperation = (engine: Engine, request: Obj) => Promise<object>;

/** ValidateStateMachineDefinition answers at most this many diagnostics by default (as AWS). */
const DEFAULT_MAX_DIAGNOSTICS = 100;

/** The state machine an execution ran, in DescribeStateMachine's shape plus `updateDate` (required). */
async function describeStateMachineForExecution(engine: Engine, request: Obj): Promise<DescribeStateMachineForExecutionOutput> {
  // The engine validates the members as the service does (a missing or malformed ARN is a ValidationException).
  const execution = await engine.describeExecution({ executionArn: request.executionArn as string });
  const machine = await engine.describeStateMachine({ stateMachineArn: execution.stateMachineArn });
  return {
    stateMachineArn: machine.stateMachineArn,
    name: machine.name,
    definition: machine.definition,
    roleArn: machine.roleArn,
    // The engine does not expose a separate update time: the creation time stands for it.
    updateDate: machine.creationDate,
    loggingConfiguration: machine.loggingConfiguration,
    tracingConfiguration: machine.tracingConfiguration,
    revisionId: machine.revisionId,
  };
}

/** Local state machines carry no tags: an empty list for one that exists, ResourceNotFound otherwise. */
async function listTagsForResource(engine: Engine, request: Obj): Promise<ListTagsForResourceOutput> {
  const arn = request.resourceArn;
  if (typeof arn !== 'string' || arn === '')
    throw new SfnApiError(
      'ValidationException',
      "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null",
    );
  if (!/^arn:aws[\w-]*:states:[^:]*:\d{12}:(stateMachine|activity):/.test(arn))
    throw new SfnApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  try {
    await engine.describeStateMachine({ stateMachineArn: arn });
  } catch (err) {
    if (err instanceof SfnApiError) throw new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    throw err;
  }
  return { tags: [] };
}

/** The checks CreateStateMachine runs, reported as AWS's diagnostics instead of an error. */
async function validateStateMachineDefinition(_engine: Engine, request: Obj): Promise<ValidateStateMachineDefinitionOutput> {
  const definition = request.definition;
  if (typeof definition !== 'string' || definition === '') {
    throw new SfnApiError(
      'ValidationException',
      "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null",
    );
  }
  const maxResults = typeof request.maxResults === 'number' && request.maxResults > 0 ? request.maxResults : DEFAULT_MAX_DIAGNOSTICS;
  const problems = validateDefinition(definition);
  const diagnostics = problems.slice(0, maxResults).map(
    (message): ValidateStateMachineDefinitionDiagnostic => ({
      severity: 'ERROR',
      code: message.startsWith('Definition is not valid JSON') ? 'INVALID_JSON_DESCRIPTION' : 'SCHEMA_VALIDATION_FAILED',
      message,
    }),
  );
  return { result: problems.length ? 'FAIL' : 'OK', diagnostics, truncated: problems.length > maxResults };
}

export const SERVICE_OPERATIONS = {
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  ListTagsForResource: listTagsForResource,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
} as const satisfies Record<string, ServiceOperation>;

export type ServiceOperationName = keyof typeof SERVICE_OPERATIONS;

export function isServiceOperation(name: string): name is ServiceOperationName {
  return Object.hasOwn(SERVICE_OPERATIONS, name);
}
