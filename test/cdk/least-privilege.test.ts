import { describe, expect, it } from 'vitest';
import { API_HANDLERS, WORKFLOW_HANDLERS } from '../../lib/paths';
import {
  CARRIER_SETTINGS,
  actionsOf,
  functionIdFor,
  resourcesOfType,
  statementsOf,
  statementsOfRole,
  synthStack,
  type PolicyStatement,
} from './support/synth';

const { template } = synthStack({ settings: CARRIER_SETTINGS });
const ALL_HANDLERS = [...WORKFLOW_HANDLERS, ...API_HANDLERS];

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

  it('uses Resource "*" only for actions that have no resource-level permissions (X-Ray, log delivery)', () => {
    // Service Authorization Reference: these X-Ray and CloudWatch Logs delivery actions accept only "*".
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
    const allowedOnStar = /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;
    for (const statement of allStatements().filter((s) => s.Resource === '*')) {
      for (const action of actionsOf([statement])) expect(action).toMatch(allowedOnStar);
    }
  });
});

describe('email', () => {
  it('only notify and clock-tick may send, only as the sender address and only through its SES identities', () => {
    // ses:FromAddress condition key: https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
    for (const handler of ALL_HANDLERS) {
      const ses = statementsOf(template, handler).filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));
      if (handler !== 'notify' && handler !== 'clock-tick') {
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
      expect((statement!.Resource as unknown[]).length).toBe(2);
    }
  });

  it('only notify and clock-tick may publish notification events, and only to the complaint-loop bus', () => {
    for (const handler of ALL_HANDLERS) {
      const put = statementsOf(template, handler).filter((s) => actionsOf([s]).includes('events:PutEvents'));
      if (handler === 'notify' || handler === 'clock-tick') {
        expect(put.map((s) => s.Resource), handler).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^NotificationsBus/), 'Arn'] }]);
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

  it('lets only await-milestone, complaint-events and survey answer task tokens, and only complaint-events fail them', () => {
    const success = ALL_HANDLERS.filter((h) => hasAction(h, 'states:SendTaskSuccess'));
    const failure = ALL_HANDLERS.filter((h) => hasAction(h, 'states:SendTaskFailure'));
    expect(success.sort()).toEqual(['await-milestone', 'complaint-events', 'survey']);
    expect(failure).toEqual(['complaint-events']);
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

describe('data access', () => {
  it('gives get-complaint and the console read-only access to the table', () => {
    for (const handler of ['get-complaint', 'console']) {
      const actions = actionsOf(statementsOf(template, handler));
      expect(actions, handler).toContain('dynamodb:GetItem');
      expect(actions, handler).toContain('dynamodb:Query');
      for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'kms:Encrypt']) {
        expect(actions, handler).not.toContain(write);
      }
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
