/**
 * Points in a complaint's life. Clocks start and stop at these (SLA policy), and each
 * is stamped on the complaint when it first happens (H-37).
 */
export const LIFECYCLE_POINTS = [
  'registered',
  'acknowledged',
  'dispatched',
  'investigated',
  'responded',
  /** H-13: the initial handling result (opinion, measures, timetable) was sent to the complainant. */
  'response-notified',
  /** H-06: service restored for the customer (the major problem handled), before or without the written result. */
  'service-restored',
  'resolved',
  'result-notified',
  'survey-answered',
  'reopened',
  'closed',
] as const;
export type LifecyclePoint = (typeof LIFECYCLE_POINTS)[number];
