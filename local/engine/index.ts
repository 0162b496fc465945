/**
 * Public entry of the local Step Functions engine. Everything a user needs is exported here; the
 * other modules are internal and may change without notice.
 */
export type { Clock, TimerHandle } from './clock';
export { VirtualClock, ScaledClock } from './clock';
export type { LambdaHandler, TaskInvoker, ParsedResource } from './tasks';
export { DefaultTaskInvoker, parseResource } from './tasks';
export type { EngineOptions } from './engine';
export { Engine } from './engine';
export type { ExecutionStatus, MachineDefinition } from './interpreter';
export { errorMatches, RETRY_DEFAULTS } from './interpreter';
export { validateDefinition } from './validate';
export { StatesError, SfnApiError, StatesErrors } from './errors';
export { JOURNAL_FORMAT, type UnreadableJournal } from './store';
export type { SfnServer, SfnServerOptions } from './http-server';
export { startSfnServer } from './http-server';
export type { CliOptions } from './cli';
export { CliUsageError, DEFAULT_PORT, main as runCli, parseCliArgs, USAGE } from './cli';
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
