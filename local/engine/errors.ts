/**
 * An error as Step Functions names it: `error` is what Retry/Catch match on
 * (e.g. States.Runtime, States.Timeout, Lambda.ServiceException), `cause` the detail.
 */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** Error names defined by the Amazon States Language specification. */
export const StatesErrors = {
  ALL: 'States.ALL',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  Permissions: 'States.Permissions',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  BranchFailed: 'States.BranchFailed',
} as const;

/** An error of the Step Functions API (ExecutionAlreadyExists, TaskDoesNotExist, ...). */
export class SfnApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}
