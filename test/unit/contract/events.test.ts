/**
 * The event schemas: every notification the notify task sends has a variant, the committed JSON
 * Schema accepts what the zod schema accepts and refuses another detail-type or source, and the
 * registry names fit EventBridge's rules.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  EVENT_SOURCE,
  eventCatalogue,
  eventSchemaFile,
  eventSchemaName,
  NOTIFICATION_DETAIL_TYPE,
  type NotificationDetail,
  notificationDetailSchema,
  PUBLISHED_EVENTS,
  type PublishedDetailType,
} from '../../../functions/contract/events';
import { NOTIFICATION_KINDS } from '../../../functions/contract/tasks';

const ROOT = join(__dirname, '../../..');
const committed = (detailType: PublishedDetailType) => {
  const { $schema: _, ...schema } = JSON.parse(readFileSync(join(ROOT, 'docs/events', eventSchemaFile(detailType)), 'utf8'));
  // Draft-04 and draft-07 read the keywords these schemas use alike.
  return new Ajv({ strict: false }).compile(schema);
};

const delivered = { complaintId: 'c-2026030100000001', notificationKey: 'k#1', emailed: true };
const DETAILS: NotificationDetail[] = [
  { ...delivered, kind: 'clock-warning', clockId: 'H-01', dueAt: '2026-03-01T10:00:00.000Z', audience: 'owner', team: 'customer-service' },
  {
    ...delivered,
    kind: 'clock-escalation',
    clockId: 'H-05',
    dueAt: '2026-03-01T10:00:00.000Z',
    level: 2,
    audience: 'management',
    team: 'network-operations',
  },
  {
    ...delivered,
    emailed: false,
    emailRejected: true,
    kind: 'result-notice',
    audience: 'customer',
    link: 'survey',
    message: { subject: '处理结果', text: '您的投诉已处理完毕' },
  },
  { ...delivered, kind: 'management-intake', audience: 'management', team: 'customer-service', severity: null },
  { ...delivered, emailed: false, kind: 'failure', audience: 'operations', error: 'States.Timeout', complaintMissing: true },
];
const envelope = (detail: unknown, overrides: Record<string, unknown> = {}) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': NOTIFICATION_DETAIL_TYPE,
  source: EVENT_SOURCE,
  account: '123456789012',
  time: '2026-03-01T10:00:00Z',
  region: 'cn-north-1',
  resources: [],
  detail,
  ...overrides,
});

describe('Complaint Notification events', () => {
  it('have a variant for every kind the notify task sends', () => {
    const kinds = eventCatalogue().map((row) => row.kind);
    expect(kinds).toEqual(expect.arrayContaining([...NOTIFICATION_KINDS]));
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('the committed JSON Schema accepts the events the zod schema accepts, with fields it does not know', () => {
    const validate = committed(NOTIFICATION_DETAIL_TYPE);
    for (const detail of DETAILS) {
      expect(notificationDetailSchema().safeParse(detail).success, detail.kind).toBe(true);
      expect(validate(envelope(detail)), `${detail.kind}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(validate(envelope({ ...detail, addedLater: 1 }))).toBe(true);
    }
  });

  it('fails another detail-type or source, an unknown kind, or a missing delivery field', () => {
    const validate = committed(NOTIFICATION_DETAIL_TYPE);
    const [warning] = DETAILS;
    expect(validate(envelope(warning, { 'detail-type': 'Complaint Created' }))).toBe(false);
    expect(validate(envelope(warning, { source: 'aws.events' }))).toBe(false);
    expect(validate(envelope({ ...warning, kind: 'sms-sent' }))).toBe(false);
    const { notificationKey: _, ...withoutKey } = warning!;
    expect(validate(envelope(withoutKey))).toBe(false);
    expect(notificationDetailSchema().safeParse(withoutKey).success).toBe(false);
  });

  it('are named as the schema registry requires', () => {
    for (const detailType of Object.keys(PUBLISHED_EVENTS) as PublishedDetailType[]) {
      // Schema names: letters, digits and - _ . @, 385 characters at most.
      expect(eventSchemaName(detailType)).toMatch(/^[A-Za-z0-9_.@-]{1,385}$/);
    }
    expect(eventSchemaName(NOTIFICATION_DETAIL_TYPE)).toBe('complaint-loop@ComplaintNotification');
  });
});
