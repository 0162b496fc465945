/**
 * The constructs' grants follow the CDK design guideline: `grantX(grantee: iam.IGrantable): iam.Grant`,
 * returning everything granted; on a ComplaintFunction the grant also sets the variable naming the
 * resource, and a function refuses a second, different value for a variable.
 */
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import {
  CONTACTS,
  CUSTOMER_LANGUAGES,
  DEAD_LETTER_QUEUE_URL,
  EVENT_BUS_NAME,
  RETENTION_DAYS,
  SENDER_ADDRESS,
  STATE_MACHINE_ARN,
  TABLE_NAME,
} from '../../functions/contract/environment';
import { CUSTOMER_INDEX } from '../../functions/contract/table';
import { ComplaintAlarms } from '../../lib/constructs/complaint-alarms';
import { ComplaintApi } from '../../lib/constructs/complaint-api';
import { ComplaintData } from '../../lib/constructs/complaint-data';
import { ComplaintFunction } from '../../lib/constructs/complaint-function';
import { ComplaintKey } from '../../lib/constructs/complaint-key';
import { ComplaintNotifications } from '../../lib/constructs/complaint-notifications';
import { ComplaintWorkflow } from '../../lib/constructs/complaint-workflow';
import { CARRIER_SETTINGS, TEST_ENV } from './support/synth';

const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
const stack = new Stack(app, 'Grants', { env: TEST_ENV });
const { key } = new ComplaintKey(stack, 'Key');
const functionProps = { encryptionKey: key };
const data = new ComplaintData(stack, 'Data', { encryptionKey: key, retentionDays: 30 });
const notifications = new ComplaintNotifications(stack, 'Notifications', {
  senderAddress: CARRIER_SETTINGS.senderAddress,
  contacts: CARRIER_SETTINGS.contacts,
});
const alarms = new ComplaintAlarms(stack, 'Alarms', { encryptionKey: key });
const workflow = new ComplaintWorkflow(stack, 'Workflow', { data, notifications, alarms, functionProps });
const api = new ComplaintApi(stack, 'Api', { data, workflow, alarms, functionProps });

let roles = 0;
const newRole = () => new iam.Role(stack, `Role${++roles}`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
let probes = 0;
const newFunction = () => new ComplaintFunction(stack, `Probe${++probes}`, { handlerName: 'get-complaint', encryptionKey: key });
const actionsOf = (grant: iam.Grant) => grant.principalStatements.flatMap((s) => s.actions);
const resourcesOf = (grant: iam.Grant) => grant.principalStatements.flatMap((s) => s.resources.map((r) => stack.resolve(r)));
const environmentOf = (fn: ComplaintFunction): Record<string, unknown> =>
  stack.resolve((fn.function.node.defaultChild as CfnResource & { environment?: unknown }).environment)?.variables ?? {};

describe('ComplaintData.grantAccess', () => {
  it('returns one Grant with the table actions, the index query and the key actions', () => {
    const grant = data.grantAccess(newRole(), { actions: ['GetItem', 'PutItem'], indexes: [CUSTOMER_INDEX] });
    expect(grant.success).toBe(true);
    expect(actionsOf(grant)).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'kms:Decrypt', 'kms:GenerateDataKey*']),
    );
    expect(JSON.stringify(resourcesOf(grant))).toContain(`/index/${CUSTOMER_INDEX}`);
  });

  it('sets TABLE_NAME on a ComplaintFunction, and RETENTION_DAYS only for one that writes', () => {
    const reader = newFunction();
    const writer = newFunction();
    data.grantAccess(reader, { actions: ['GetItem'] });
    data.grantAccess(writer, { actions: ['GetItem', 'PutItem'] });
    expect(environmentOf(reader)).toHaveProperty(TABLE_NAME.name, stack.resolve(data.table.tableName));
    expect(environmentOf(reader)).not.toHaveProperty(RETENTION_DAYS.name);
    expect(environmentOf(writer)).toMatchObject({ [RETENTION_DAYS.name]: '30' });
  });
});

describe('ComplaintNotifications.grantSend', () => {
  it('returns one Grant with sending as the sender address and publishing to the bus', () => {
    const grant = notifications.grantSend(newRole());
    expect(actionsOf(grant)).toEqual(['ses:SendEmail', 'events:PutEvents']);
    expect(stack.resolve(grant.principalStatements[0]?.conditions)).toEqual({
      StringEquals: { 'ses:FromAddress': CARRIER_SETTINGS.senderAddress },
    });
  });

  it('sets the sender, contacts, customer languages and bus name on a ComplaintFunction', () => {
    const fn = newFunction();
    notifications.grantSend(fn);
    expect(Object.keys(environmentOf(fn))).toEqual(
      expect.arrayContaining([SENDER_ADDRESS.name, CONTACTS.name, CUSTOMER_LANGUAGES.name, EVENT_BUS_NAME.name]),
    );
  });
});

describe('ComplaintWorkflow grants', () => {
  it('grantStartExecution returns the Grant and sets STATE_MACHINE_ARN on a ComplaintFunction', () => {
    const fn = newFunction();
    const grant = workflow.grantStartExecution(fn);
    expect(actionsOf(grant)).toEqual(['states:StartExecution']);
    expect(environmentOf(fn)).toHaveProperty(STATE_MACHINE_ARN.name, stack.resolve(workflow.stateMachine.stateMachineArn));
  });

  it('task answers return Grants scoped to the state machine, for any grantee', () => {
    const role = newRole();
    expect(actionsOf(workflow.grantTaskSuccess(role))).toEqual(['states:SendTaskSuccess']);
    expect(actionsOf(workflow.grantTaskFailure(role))).toEqual(['states:SendTaskFailure']);
    const response = workflow.grantTaskResponse(role);
    expect(actionsOf(response)).toEqual(['states:SendTaskSuccess', 'states:SendTaskFailure']);
    expect(resourcesOf(response)).toEqual([stack.resolve(workflow.stateMachineArnForGrants)]);
  });
});

describe('ComplaintApi.grantDeadLetters', () => {
  it('returns the Grant to send to the queue and sets DEAD_LETTER_QUEUE_URL on a ComplaintFunction', () => {
    const role = newRole();
    expect(actionsOf(api.grantDeadLetters(role))).toEqual(expect.arrayContaining(['sqs:SendMessage']));
    const fn = newFunction();
    api.grantDeadLetters(fn);
    expect(environmentOf(fn)).toHaveProperty(DEAD_LETTER_QUEUE_URL.name, stack.resolve(api.deadLetterQueue.queueUrl));
  });
});

describe('ComplaintFunction.addEnvironment', () => {
  it('accepts the same value twice (two grants of one resource)', () => {
    const fn = newFunction();
    data.grantAccess(fn, { actions: ['GetItem'] });
    expect(() => data.grantAccess(fn, { actions: ['Query'] })).not.toThrow();
    fn.addEnvironment('EXTRA', 'one').addEnvironment('EXTRA', 'one');
    expect(environmentOf(fn)).toHaveProperty('EXTRA', 'one');
  });

  it('fails to set a variable again with a different value, naming the function and the variable', () => {
    const fn = newFunction();
    fn.addEnvironment('EXTRA', 'one');
    expect(() => fn.addEnvironment('EXTRA', 'two')).toThrow(/Probe\d+: environment variable EXTRA is already set to "one"/);
    expect(environmentOf(fn)).toHaveProperty('EXTRA', 'one');
  });

  it("fails when a second table's grant would point TABLE_NAME elsewhere", () => {
    const other = new ComplaintData(stack, 'OtherData', { encryptionKey: key, retentionDays: 30 });
    const fn = newFunction();
    data.grantAccess(fn, { actions: ['GetItem'] });
    expect(() => other.grantAccess(fn, { actions: ['GetItem'] })).toThrow(/environment variable TABLE_NAME is already set/);
  });

  it('fails to override a setting given at construction (props.environment)', () => {
    const fn = new ComplaintFunction(stack, 'WithSettings', {
      handlerName: 'get-complaint',
      encryptionKey: key,
      environment: { TIME_ZONE: 'Asia/Shanghai' },
    });
    expect(() => fn.addEnvironment('TIME_ZONE', 'Asia/Urumqi')).toThrow(/TIME_ZONE is already set to "Asia\/Shanghai"/);
  });
});
