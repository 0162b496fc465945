/**
 * The in-process service API's answers, typed with `@aws-sdk/client-sfn`'s output types. The SDK
 * types every member it models as possibly `undefined`; the engine always fills the members the
 * service always returns, so its answers narrow those to present (optional members stay optional).
 * Each answer is still assignable to the SDK output type it is derived from.
 */
import type {
  CreateStateMachineOutput,
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StateMachineListItem,
  StopExecutionOutput,
  UpdateStateMachineOutput,
} from '@aws-sdk/client-sfn';

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type OptionalKeys<T> = Exclude<keyof T, RequiredKeys<T>>;

/** `T` with its required members present (not `undefined`) and its optional members as they are. */
export type Answered<T> = { [K in RequiredKeys<T>]: Exclude<T[K], undefined> } & { [K in OptionalKeys<T>]?: T[K] };

export type CreateStateMachineAnswer = Answered<CreateStateMachineOutput>;
export type UpdateStateMachineAnswer = Answered<Omit<UpdateStateMachineOutput, 'revisionId'>> & { revisionId: string };
export type DescribeStateMachineAnswer = Answered<DescribeStateMachineOutput>;
export type ListStateMachinesAnswer = { stateMachines: Answered<StateMachineListItem>[]; nextToken?: string } & ListStateMachinesOutput;
export type StartExecutionAnswer = Answered<StartExecutionOutput>;
export type DescribeExecutionAnswer = Answered<DescribeExecutionOutput>;
export type ListExecutionsAnswer = { executions: Answered<ExecutionListItem>[]; nextToken?: string } & ListExecutionsOutput;
export type StopExecutionAnswer = Answered<StopExecutionOutput>;
export type HistoryEventAnswer = Answered<HistoryEvent>;
export type GetExecutionHistoryAnswer = { events: HistoryEventAnswer[]; nextToken?: string } & GetExecutionHistoryOutput;
