/**
 * Synthesizes the real stack for assertions. Bundling is skipped (context
 * `aws:cdk:bundling-stacks` = []): these tests check the template, not esbuild's output.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENTRY_METADATA_KEY } from '../../../functions/contract/template';
import { ComplaintLoopStack, type ComplaintLoopStackProps } from '../../../lib/complaint-loop-stack';
import type { ContactSettings } from '../../../lib/settings';

export const TEST_ENV = { account: '123456789012', region: 'ap-east-1' } as const;

export interface Synthesized {
  readonly app: App;
  readonly stack: ComplaintLoopStack;
  readonly template: Template;
}

export function synthStack(props: ComplaintLoopStackProps = {}, context: Record<string, unknown> = {}): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new ComplaintLoopStack(app, 'ComplaintLoop', { env: TEST_ENV, ...props });
  return { app, stack, template: Template.fromStack(stack) };
}

export const CARRIER_SETTINGS: { senderAddress: string; contacts: ContactSettings; alarmEmail: string } = {
  senderAddress: 'noreply@complaints.carrier.cn',
  contacts: {
    teams: {
      'network-operations': { supervisor: ['noc-lead@carrier.cn'], management: ['noc-director@carrier.cn'] },
      'customer-service': { supervisor: ['cs-lead@carrier.cn'], management: ['cs-director@carrier.cn'] },
    },
    operations: ['ops@carrier.cn'],
  },
  alarmEmail: 'alarms@carrier.cn',
};

type CfnResources = Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;

export function resourcesOfType(template: Template, type: string): CfnResources {
  return template.findResources(type) as CfnResources;
}

/** The logical id of the Lambda function whose template metadata names this handler. */
export function functionIdFor(template: Template, handler: string): string {
  const found = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).filter(
    ([, r]) => r.Metadata?.[ENTRY_METADATA_KEY] === `functions/handlers/${handler}.ts`,
  );
  if (found.length !== 1) throw new Error(`expected one function for ${handler}, found ${found.length}`);
  return found[0]![0];
}

export interface PolicyStatement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Every statement in the identity policies attached to the role of this handler's function. */
export function statementsOf(template: Template, handler: string): PolicyStatement[] {
  const fnId = functionIdFor(template, handler);
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[fnId]!;
  const roleId = fn.Properties!.Role['Fn::GetAtt'][0] as string;
  return statementsOfRole(template, roleId);
}

export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((p) =>
    (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
  );
  const inline = (resourcesOfType(template, 'AWS::IAM::Role')[roleId]?.Properties?.Policies ?? []) as {
    PolicyDocument: { Statement: PolicyStatement[] };
  }[];
  return [...policies.map((p) => p.Properties!.PolicyDocument), ...inline.map((p) => p.PolicyDocument)].flatMap(
    (d) => d.Statement as PolicyStatement[],
  );
}

export function actionsOf(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
}

export function envOf(template: Template, handler: string): Record<string, unknown> {
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionIdFor(template, handler)]!;
  return fn.Properties!.Environment.Variables as Record<string, unknown>;
}
