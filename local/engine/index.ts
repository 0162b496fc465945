/** Public surface of the local Step Functions engine. */
export type { Clock, TimerHandle } from './clock';
export { VirtualClock, ScaledClock } from './clock';
export type { LambdaHandler, TaskInvoker, ParsedResource } from './tasks';
export { DefaultTaskInvoker, parseResource } from './tasks';
export type { EngineOptions } from './engine';
export { Engine } from './engine';
export { validateDefinition } from './validate';
export { StatesError, SfnApiError, StatesErrors } from './errors';
export { JOURNAL_FORMAT, type UnreadableJournal } from './store';
