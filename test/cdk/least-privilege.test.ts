import { describe, expect, it } from 'vitest';
import {
  CLOSED_BY_MONTH_INDEX,
  CUSTOMER_INDEX,
  OPEN_BY_TEAM_INDEX,
  PARTITION_PREFIXES,
  type PartitionPrefix,
} from '../../functions/contract/table';
import { API_HANDLERS, SCHEDULED_HANDLERS, WORKFLOW_HANDLERS } from '../../lib/paths';
import {
  actionsOf,
  CARRIER_SETTINGS,
  functionIdFor,
  type PolicyStatement,
  resourcesOfType,
  statementsOf,
  statementsOfRole,
  synthStack,
} from './support/synth';

const { template } = synthStack({ settings: CARRIER_SETTINGS });
const ALL_HANDLERS = [...WORKFLOW_HANDLERS, ...API_HANDLERS, ...SCHEDULED_HANDLERS];
/** The functions that email and publish notification events (the sweep sends a failed complaint's clock events). */
const SENDERS: string[] = ['notify', 'clock-tick', 'sweep'];

const allStatements = (): PolicyStatement[] =>
  Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).flatMap((roleId) => statementsOfRole(template, roleId));
const hasAction = (handler: string, action: string) => actionsOf(statementsOf(template, handler)).includes(action);
const stateMachineRoleId = (): string => {
  const sm = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'))[0]!;
  return sm.Properties!.RoleArn['Fn::GetAtt'][0] as string;
};

describe('no broad grants', () => {
  it('has no statement allowing every action or every action of a service', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(30);
    for (const action of actionsOf(statements)) {
      expect(action).not.toBe('*');
      expect(action).not.toMatch(/^[a-z0-9-]+:\*$/);
    }
  });

  it('uses Resource "*" only for actions that have no resource-level permissions (X-Ray, log delivery, listing streams)', () => {
    // Service Authorization Reference: these X-Ray and CloudWatch Logs delivery actions accept only "*".
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
    // dynamodb:ListStreams (the analysis pipe's source, eb-pipes-permissions) has no resource-level permissions either.
    const allowedOnStar =
      /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups)|dynamodb:ListStreams)$/;
    for (const statement of allStatements().filter((s) => s.Resource === '*')) {
      for (const action of actionsOf([statement])) expect(action).toMatch(allowedOnStar);
    }
  });
});

describe('email', () => {
  it('only notify, clock-tick and the sweep may send, only as the sender address and only through its SES identities', () => {
    // ses:FromAddress condition key: https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
    for (const handler of ALL_HANDLERS) {
      const ses = statementsOf(template, handler).filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));
      if (!SENDERS.includes(handler)) {
        expect(ses, handler).toEqual([]);
        continue;
      }
      expect(ses, handler).toHaveLength(1);
      const [statement] = ses;
      expect(statement!.Action).toBe('ses:SendEmail');
      expect(statement!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'noreply@complaints.carrier.cn' } });
      const resources = JSON.stringify(statement!.Resource);
      expect(resources).toContain(':ses:ap-east-1:123456789012:identity/noreply@complaints.carrier.cn');
      expect(resources).toContain(':ses:ap-east-1:123456789012:identity/complaints.carrier.cn');
      // A default configuration set of the identity is authorized too; unnamed, any set of the account.
      expect(resources).toContain(':ses:ap-east-1:123456789012:configuration-set/*');
      expect((statement!.Resource as unknown[]).length).toBe(3);
    }
  });

  it('names the configuration set when the settings give it', () => {
    const { template: named } = synthStack({ settings: { ...CARRIER_SETTINGS, sesConfigurationSet: 'bounce-events' } });
    const [statement] = statementsOf(named, 'notify').filter((s) => s.Action === 'ses:SendEmail');
    const resources = JSON.stringify(statement!.Resource);
    expect(resources).toContain(':ses:ap-east-1:123456789012:configuration-set/bounce-events');
    expect(resources).not.toContain('configuration-set/*');
  });

  it('only notify, clock-tick and the sweep may publish notification events, and only to the complaint-loop bus', () => {
    for (const handler of ALL_HANDLERS) {
      const put = statementsOf(template, handler).filter((s) => actionsOf([s]).includes('events:PutEvents'));
      if (SENDERS.includes(handler)) {
        expect(
          put.map((s) => s.Resource),
          handler,
        ).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^NotificationsBus/), 'Arn'] }]);
      } else {
        expect(put, handler).toEqual([]);
      }
    }
  });
});

describe('workflow access', () => {
  it('lets only intake start executions', () => {
    for (const handler of ALL_HANDLERS) expect(hasAction(handler, 'states:StartExecution'), handler).toBe(handler === 'intake');
  });

  it('lets only await-milestone, complaint-events and survey answer task tokens, and only complaint-events and the sweep fail them', () => {
    const success = ALL_HANDLERS.filter((h) => hasAction(h, 'states:SendTaskSuccess'));
    const failure = ALL_HANDLERS.filter((h) => hasAction(h, 'states:SendTaskFailure'));
    expect(success.sort()).toEqual(['await-milestone', 'complaint-events', 'survey']);
    expect(failure.sort()).toEqual(['complaint-events', 'sweep']);
    for (const handler of ALL_HANDLERS) expect(hasAction(handler, 'states:SendTaskHeartbeat'), handler).toBe(false);
  });

  it('scopes task-token answers to the complaint-loop state machine', () => {
    for (const handler of ['await-milestone', 'complaint-events', 'survey']) {
      const statements = statementsOf(template, handler).filter((s) => actionsOf([s]).some((a) => a.startsWith('states:SendTask')));
      for (const s of statements) {
        expect(JSON.stringify(s.Resource), handler).toMatch(/:states:ap-east-1:123456789012:stateMachine:ComplaintLoop-complaint-loop"/);
      }
    }
  });

  it('lets the state machine invoke exactly the five workflow functions, unqualified', () => {
    const statements = statementsOfRole(template, stateMachineRoleId());
    const invoke = statements.filter((s) => actionsOf([s]).includes('lambda:InvokeFunction'));
    const resources = invoke.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
    expect(resources).toEqual(WORKFLOW_HANDLERS.map((h) => ({ 'Fn::GetAtt': [functionIdFor(template, h), 'Arn'] })));
  });
});

/**
 * Each function's table actions, one by one, from the store calls its code makes
 * (functions/adapters/complaint-store.ts); a transaction is checked as the actions of its items.
 */
const TABLE_ACTIONS: Record<string, string[]> = {
  intake: ['GetItem', 'PutItem'],
  'complaint-events': ['GetItem', 'PutItem'],
  'get-complaint': ['GetItem', 'Query'],
  survey: ['GetItem', 'PutItem', 'UpdateItem'],
  'escalation-ack': ['GetItem', 'PutItem', 'UpdateItem'],
  console: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'],
  classify: ['GetItem', 'PutItem'],
  lifecycle: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
  'await-milestone': ['GetItem', 'UpdateItem'],
  'clock-tick': ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'],
  notify: ['DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'],
  sweep: ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'],
};
/** Partitions beyond the complaints' own: link records (survey and acknowledgement tokens), quality data (H-36). */
const { complaint, link, quality, sweep } = PARTITION_PREFIXES;
const leadingKeys = (...prefixes: PartitionPrefix[]) => prefixes.map((prefix) => `${prefix}*`);
const PARTITIONS: Record<string, string[]> = {
  survey: leadingKeys(complaint, link),
  'escalation-ack': leadingKeys(complaint, link),
  'clock-tick': leadingKeys(complaint, link),
  sweep: leadingKeys(complaint, link, sweep),
  notify: leadingKeys(complaint, link, quality),
  lifecycle: leadingKeys(complaint, quality),
  'complaint-events': leadingKeys(complaint, quality),
  console: leadingKeys(complaint, quality),
};
/** The indexes each function queries, by name (none for the others). */
const INDEXES: Record<string, string[]> = {
  console: [OPEN_BY_TEAM_INDEX, CLOSED_BY_MONTH_INDEX],
  classify: [CUSTOMER_INDEX],
  sweep: [OPEN_BY_TEAM_INDEX],
};
const tableArn = () => ({ 'Fn::GetAtt': [Object.keys(resourcesOfType(template, 'AWS::DynamoDB::Table'))[0], 'Arn'] });
const dynamoStatements = (handler: string) =>
  statementsOf(template, handler).filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));

describe('data access', () => {
  for (const handler of ALL_HANDLERS) {
    it(`gives ${handler} exactly the table actions its code calls`, () => {
      const onTable = dynamoStatements(handler).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn()));
      expect(onTable, handler).toHaveLength(1);
      expect(
        actionsOf(onTable)
          .map((a) => a.replace('dynamodb:', ''))
          .sort(),
        handler,
      ).toEqual(TABLE_ACTIONS[handler]);
    });

    it(`limits ${handler} to the partitions it uses (dynamodb:LeadingKeys)`, () => {
      const [onTable] = dynamoStatements(handler).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn()));
      const prefixes = PARTITIONS[handler] ?? leadingKeys(complaint);
      expect(onTable!.Condition, handler).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes } });
    });
  }

  it('gives no function Scan, BatchWriteItem, ConditionCheckItem, table management or streams', () => {
    for (const handler of ALL_HANDLERS) {
      for (const action of actionsOf(dynamoStatements(handler))) {
        expect(action, handler).toMatch(/^dynamodb:(GetItem|BatchGetItem|Query|PutItem|UpdateItem|DeleteItem)$/);
      }
    }
  });

  it('lets only the console, classify (H-25) and the sweep query indexes, each by name', () => {
    for (const handler of ALL_HANDLERS) {
      const onIndexes = dynamoStatements(handler).filter((s) => JSON.stringify(s.Resource).includes('/index/'));
      const expected = INDEXES[handler];
      if (!expected) {
        expect(onIndexes, handler).toEqual([]);
        continue;
      }
      expect(onIndexes, handler).toHaveLength(1);
      expect(onIndexes[0]!.Action, handler).toBe('dynamodb:Query');
      const resources = JSON.stringify(onIndexes[0]!.Resource);
      for (const index of expected) expect(resources, handler).toContain(`/index/${index}"`);
      expect(resources.match(/\/index\//g)?.length, handler).toBe(expected.length);
    }
  });

  it('gives the key only decrypt to readers and the data-key actions to writers', () => {
    for (const handler of ALL_HANDLERS) {
      const kms = actionsOf(statementsOf(template, handler).filter((s) => JSON.stringify(s.Resource).includes('Key'))).filter((a) =>
        a.startsWith('kms:'),
      );
      const writes = TABLE_ACTIONS[handler]!.some((a) => ['PutItem', 'UpdateItem', 'DeleteItem'].includes(a));
      expect(kms, handler).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:DescribeKey']));
      if (!writes) expect(kms, handler).not.toEqual(expect.arrayContaining(['kms:Encrypt']));
      if (writes) expect(kms, handler).toEqual(expect.arrayContaining(['kms:Encrypt', 'kms:GenerateDataKey*']));
    }
  });

  it('lets only intake and complaint-events write dead letters', () => {
    for (const handler of ALL_HANDLERS) {
      expect(hasAction(handler, 'sqs:SendMessage'), handler).toBe(handler === 'intake' || handler === 'complaint-events');
    }
  });

  it('lets each function write only its own log group', () => {
    for (const handler of ALL_HANDLERS) {
      const logs = statementsOf(template, handler).filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
      expect(logs, handler).toHaveLength(1);
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionIdFor(template, handler)]!;
      expect(logs[0]!.Resource, handler).toEqual({ 'Fn::GetAtt': [fn.Properties!.LoggingConfig.LogGroup.Ref, 'Arn'] });
    }
  });
});
