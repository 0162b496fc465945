/**
 * Public entry of the local Step Functions engine. Everything a user needs is exported here; the
 * other modules are internal and may change without notice.
 */

export type {
  Catcher,
  ChoiceState,
  FailState,
  JsonataChoiceRule,
  JsonPathChoiceRule,
  MapState,
  ParallelState,
  PassState,
  Retrier,
  State,
  StateMachineDefinition,
  StatesBlock,
  SucceedState,
  TaskState,
  WaitState,
} from './asl';
export type { CliOptions } from './cli';
export { CliUsageError, DEFAULT_PORT, main as runCli, parseCliArgs, USAGE } from './cli';
export type { Clock, TimerHandle } from './clock';
export { ScaledClock, VirtualClock } from './clock';
export type { EngineOptions } from './engine';
export { Engine } from './engine';
export { SfnApiError, StatesError, StatesErrors } from './errors';
export type { SfnServer, SfnServerOptions } from './http-server';
export { startSfnServer } from './http-server';
export type { ExecutionStatus, MachineDefinition } from './interpreter';
export { DEFAULT_BACKOFF_RATE, DEFAULT_INTERVAL_SECONDS, DEFAULT_MAX_ATTEMPTS, errorMatches, RETRY_DEFAULTS } from './retry';
export type {
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
export {
  AuthError,
  isLoopbackHost,
  type LocalCredentials,
  MISSING_TOKEN,
  NodeSha256,
  type VerifiedCaller,
  verifySigV4,
} from './sigv4-auth';
export { JOURNAL_FORMAT, type UnreadableJournal } from './store';
export type { LambdaHandler, ParsedResource, TaskInvoker } from './tasks';
export { DefaultTaskInvoker, parseResource } from './tasks';
export { validateDefinition } from './validate';
