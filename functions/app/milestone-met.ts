/** The answer to a waiting milestone's task token, shared by the tasks and the survey page (H-33). */
import type { MilestoneMet } from '../contract/tasks';
import { nextDueAt } from '../domain/clocks';
import type { SlaPolicy } from '../domain/sla-policy';
import { surveyAnswer } from '../domain/types';
import type { StoredComplaint } from './ports';

/** What SendTaskSuccess carries for a met milestone (the survey's outcome included). */
export function milestoneMetOutput(stored: StoredComplaint, milestone: string, policy: SlaPolicy): MilestoneMet {
  const outcome = milestone === 'survey' ? surveyAnswer(stored.complaint)?.outcome : undefined;
  return { milestone, nextDueAt: nextDueAt(stored.complaint, policy), ...(outcome ? { outcome } : {}) };
}
