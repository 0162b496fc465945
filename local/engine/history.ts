/** The execution history as the engine keeps it: compact events whose details are serialized only when read. */

type Obj = Record<string, any>;

/** Compact history event: details hold raw JSON values, serialized only when the history is read. */
export interface HistoryEvent {
  t: number;
  type: string;
  prev: number;
  d?: Obj;
}

/** An already-serialized JSON value kept in history details (serialized as is when read). */
export class JsonText {
  constructor(readonly text: string) {}
}

const STATE_TYPES = ['Task', 'Choice', 'Pass', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
const ENTERED: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateEntered`])));
const EXITED: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateExited`])));

/** Interned event type names: one string per type instead of one per event. */
export function stateEventType(stateType: string, suffix: 'StateEntered' | 'StateExited'): string {
  return (suffix === 'StateEntered' ? ENTERED : EXITED)[stateType] ?? stateType + suffix;
}
