/**
 * The Amazon States Language as TypeScript types: a state machine definition whose states are a
 * discriminated union on `Type`. Use them to write definitions the compiler checks before the engine
 * (or Step Functions) validates them: `JSON.stringify(definition satisfies StateMachineDefinition)`.
 * Fields of both query languages are listed; which ones a state may use depends on its QueryLanguage.
 */

export type QueryLanguage = 'JSONPath' | 'JSONata';
/** A JSON value, or a JSONata template `{% ... %}` where the field takes one. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type Template = string;

interface CommonFields {
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  /** JSONPath only. */
  InputPath?: string | null;
  /** JSONPath only. */
  OutputPath?: string | null;
  /** JSONata only. */
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  /** JSONPath only. */
  ResultPath?: string | null;
  /** JSONata only. */
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

interface ResultFields {
  /** JSONPath only. */
  Parameters?: JsonValue;
  /** JSONPath only. */
  ResultSelector?: JsonValue;
  /** JSONPath only. */
  ResultPath?: string | null;
  /** JSONata only. */
  Arguments?: JsonValue;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export type PassState = CommonFields &
  Transition & { Type: 'Pass'; Result?: JsonValue; Parameters?: JsonValue; ResultPath?: string | null };

export type TaskState = CommonFields &
  ResultFields &
  Transition & {
    Type: 'Task';
    Resource: string;
    TimeoutSeconds?: number | Template;
    TimeoutSecondsPath?: string;
    HeartbeatSeconds?: number | Template;
    HeartbeatSecondsPath?: string;
  };

/** A JSONPath Choice rule: a comparison on `Variable`, or And/Or/Not of rules. */
export interface JsonPathChoiceRule {
  Variable?: string;
  And?: JsonPathChoiceRule[];
  Or?: JsonPathChoiceRule[];
  Not?: JsonPathChoiceRule;
  Next?: string;
  Assign?: Record<string, JsonValue>;
  [operator: string]: unknown;
}

/** A JSONata Choice rule: when it matches, its Output replaces the state's and its Assign adds to the state's. */
export interface JsonataChoiceRule {
  Condition: Template;
  Next: string;
  Output?: JsonValue;
  Assign?: Record<string, JsonValue>;
}

export type ChoiceState = CommonFields & {
  Type: 'Choice';
  Choices: Array<JsonPathChoiceRule | JsonataChoiceRule>;
  /**
   * The state's own Assign applies whichever rule matches, and on the Default; its Output only on the
   * Default (when a rule matches, the output is the rule's Output, or else the input).
   */
  Default?: string;
};

export type WaitState = CommonFields &
  Transition & {
    Type: 'Wait';
    Seconds?: number | Template;
    SecondsPath?: string;
    Timestamp?: string;
    TimestampPath?: string;
  };

export type SucceedState = Omit<CommonFields, 'Assign'> & { Type: 'Succeed' };

export interface FailState {
  Type: 'Fail';
  Comment?: string;
  QueryLanguage?: QueryLanguage;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export type ParallelState = CommonFields & ResultFields & Transition & { Type: 'Parallel'; Branches: StatesBlock[] };

export type MapState = CommonFields &
  ResultFields &
  Transition & {
    Type: 'Map';
    ItemProcessor?: StatesBlock & { ProcessorConfig?: { Mode?: 'INLINE' } };
    /** The older name of ItemProcessor. */
    Iterator?: StatesBlock;
    ItemsPath?: string;
    Items?: JsonValue;
    ItemSelector?: JsonValue;
    MaxConcurrency?: number | Template;
    MaxConcurrencyPath?: string;
    ToleratedFailureCount?: number | Template;
    ToleratedFailureCountPath?: string;
    ToleratedFailurePercentage?: number | Template;
    ToleratedFailurePercentagePath?: string;
  };

/** Any state, discriminated by `Type`. */
export type State = PassState | TaskState | ChoiceState | WaitState | SucceedState | FailState | ParallelState | MapState;

export interface StatesBlock {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: QueryLanguage;
}

export interface StateMachineDefinition extends StatesBlock {
  Comment?: string;
  TimeoutSeconds?: number;
  Version?: string;
}
