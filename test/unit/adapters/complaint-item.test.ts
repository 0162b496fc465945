/** Reading a stored META item back into a complaint (pure: no table). */
import { describe, expect, it } from 'vitest';
import { fromItem } from '../../../functions/adapters/complaint-store';
import { surveyAnswer } from '../../../functions/domain/types';
import { metaItem, surveyingComplaint } from '../handlers/fixtures';

describe('fromItem', () => {
  it('H-33: tags a survey answer stored without its outcome by what the customer said', () => {
    const c = surveyingComplaint();
    const answered = { solved: false, score: 2, answeredAt: c.points['result-notified']! };
    const read = fromItem(metaItem(c, { survey: answered })).complaint;
    expect(read.survey).toEqual({ outcome: 'not-solved', ...answered });
    expect(surveyAnswer(read)?.outcome).toBe('not-solved');
    const solved = fromItem(metaItem(c, { survey: { ...answered, solved: true } })).complaint;
    expect(solved.survey?.outcome).toBe('solved');
  });

  it('keeps a tagged survey result as stored', () => {
    const c = surveyingComplaint();
    const expired = { outcome: 'no-answer', closedAt: c.points['result-notified']! };
    expect(fromItem(metaItem(c, { survey: expired })).complaint.survey).toEqual(expired);
    expect(surveyAnswer(fromItem(metaItem(c, { survey: expired })).complaint)).toBeUndefined();
  });
});
