/**
 * The milestones of the closed loop (H-30), in order. Each is one `.waitForTaskToken`
 * state in the workflow, met when every lifecycle point it awaits has happened.
 * The ASL builder, the events API and the console all read this list.
 */
import type { LifecyclePoint } from './lifecycle-points';

export interface Milestone {
  readonly id: string;
  /** The workflow state that waits for it (PascalCase, stable: history and alarms name it). */
  readonly state: string;
  /** Lifecycle points that meet it, in any order. */
  readonly awaits: readonly LifecyclePoint[];
}

export const MILESTONES = [
  // H-01 first response and H-05 dispatch happen at first contact, in either order.
  { id: 'first-contact', state: 'AwaitFirstContact', awaits: ['acknowledged', 'dispatched'] },
  { id: 'investigation', state: 'AwaitInvestigation', awaits: ['investigated'] },
  { id: 'handling-opinion', state: 'AwaitHandlingOpinion', awaits: ['responded'] },
  { id: 'resolution', state: 'AwaitResolution', awaits: ['resolved'] },
  // H-33: met by the customer's answer on the survey page.
  { id: 'survey', state: 'AwaitSurvey', awaits: ['survey-answered'] },
] as const satisfies readonly Milestone[];

export type MilestoneId = (typeof MILESTONES)[number]['id'];

/** H-34: a complaint the customer says is not solved goes back to this milestone. */
export const REOPEN_MILESTONE: MilestoneId = 'handling-opinion';
