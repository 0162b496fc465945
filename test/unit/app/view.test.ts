import { describe, expect, it } from 'vitest';
import { complaintView } from '../../../functions/app/api/view';
import { containsPersonalData } from '../../../functions/domain/masking';
import { DEFAULT_SLA_POLICY } from '../../../functions/domain/sla-policy';
import type { AuditEvent, Complaint } from '../../../functions/domain/types';
import { minutesAfter, registeredComplaint } from '../handlers/fixtures';

const PHONE = '13700001111';
const EMAIL = 'me@example.org';
const ID_NUMBER = '11010519491231002X';
const SAID = (where: string) => `${where}: call me on ${PHONE} or ${EMAIL}, ID ${ID_NUMBER}`;

/** Every free-text field of a complaint holding a phone, an email and an ID number. */
function complaintWithPersonalDataEverywhere(): Complaint {
  const c = registeredComplaint();
  return {
    ...c,
    description: SAID('description'),
    owner: `wang.wu@carrier.cn (${PHONE})`,
    pause: { since: minutesAfter(30), reason: SAID('pause') },
    pauses: [{ from: minutesAfter(5), to: minutesAfter(10), reason: SAID('earlier pause') }],
    handlingOpinion: {
      opinion: SAID('opinion'),
      measures: SAID('measures'),
      timetable: SAID('timetable'),
      followUpOwner: SAID('follow-up'),
    },
    survey: { outcome: 'not-solved', solved: false, score: 2, comment: SAID('survey comment'), answeredAt: minutesAfter(60) },
  };
}

const HISTORY: AuditEvent[] = [
  { at: minutesAfter(20), type: 'note', actor: `agent ${EMAIL}`, detail: { note: SAID('note'), nested: [{ text: SAID('nested') }] } },
];

describe('complaint view (GET /complaints/{id}, console) H-42', () => {
  it('redacts personal data in every free-text field: survey comment, pause reasons, opinion, measures, notes, owner, actor', () => {
    const view = complaintView(complaintWithPersonalDataEverywhere(), HISTORY, minutesAfter(90), DEFAULT_SLA_POLICY, null);
    const text = JSON.stringify(view);
    expect(containsPersonalData(text), text).toBe(false);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(ID_NUMBER);
    // Redacted, not dropped: the reader still sees what was said around it.
    expect(view.survey).toMatchObject({
      solved: false,
      score: 2,
      comment: expect.stringContaining('survey comment: call me on 137****1111'),
    });
    expect(view.pause).toMatchObject({ reason: expect.stringContaining('pause: call me on') });
    expect((view.pauses as { reason: string }[])[0]!.reason).toContain('m***@example.org');
    expect(view.handlingOpinion).toMatchObject({ measures: expect.stringContaining('measures:') });
    expect((view.history as AuditEvent[])[0]!.actor).toBe('agent m***@example.org');
  });

  it('keeps fields without personal data as they are', () => {
    const c = registeredComplaint();
    const view = complaintView(
      { ...c, pause: { since: minutesAfter(30), reason: 'waiting for the customer' } },
      [],
      minutesAfter(40),
      DEFAULT_SLA_POLICY,
      null,
    );
    expect(view.pause).toEqual({ since: minutesAfter(30), reason: 'waiting for the customer' });
    expect(view.pauses).toEqual([]);
    expect(view.survey).toBeNull();
    expect(view.receivedAt).toBe(c.receivedAt);
  });
});
