import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp, STACK_NAME } from '../../lib/app';
import { LOCAL_SETTINGS } from '../../lib/settings';
import { CARRIER_SETTINGS, synthStack } from './support/synth';

// cdk-nag 3 runs as a policy-validation plugin; validateScope is its documented direct entry for tests.
function findings(scope: IConstruct) {
  return new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope).violations;
}

function acknowledgments(scope: IConstruct): { id: string; reason: string; at: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        // CDK stores rule acknowledgments under an 'Annotation::' prefix, which cdk-nag strips.
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          at: c.node.path,
        })),
      ),
  );
}

// Synthesized at import: the first synth loads most of aws-cdk-lib and is slow on a busy machine.
const carrier = synthStack({ settings: CARRIER_SETTINGS });

describe('cdk-nag AwsSolutions', { timeout: 180_000 }, () => {
  it('has no unacknowledged errors or warnings with the carrier settings', () => {
    const { app } = carrier;
    expect(findings(app).map((v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual(
      [],
    );
  });

  it("has no unacknowledged findings with the local runtime's settings either", () => {
    const { app } = synthStack({ settings: LOCAL_SETTINGS });
    expect(findings(app).map((v) => v.ruleName)).toEqual([]);
  });

  it('gives every acknowledgment a reason that says why', () => {
    const { app } = carrier;
    const acks = acknowledgments(app);
    expect(acks.length).toBeGreaterThan(10);
    for (const ack of acks) {
      expect(ack.id, ack.at).toMatch(/^AwsSolutions-[A-Z]+[0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.at}`).toBeGreaterThanOrEqual(40);
    }
    // The few rules the design accepts on purpose, and nothing else.
    const ruleIds = new Set(acks.map((a) => a.id.replace(/\[.*$/, '')));
    expect([...ruleIds].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
    ]);
  });

  it('acknowledges open (unauthenticated) access only on the survey and ack routes', () => {
    const { app } = carrier;
    const open = acknowledgments(app)
      .filter((a) => a.id === 'AwsSolutions-APIG4')
      .map((a) => a.at);
    expect(open.sort()).toEqual([
      'ComplaintLoop/Api/Api/Default/ack/{token}/GET',
      'ComplaintLoop/Api/Api/Default/ack/{token}/POST',
      'ComplaintLoop/Api/Api/Default/survey/{token}/GET',
      'ComplaintLoop/Api/Api/Default/survey/{token}/POST',
    ]);
  });

  it('fails when a grant adds a wildcard nobody explained', () => {
    const { app, stack } = synthStack({ settings: CARRIER_SETTINGS });
    stack.workflow.functions.classify.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: [stack.data.table.tableArn] }),
    );
    expect(findings(app).map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Action::dynamodb:*]']);
  });
});

describe('the deployable app', { timeout: 180_000 }, () => {
  const outdir = () => mkdtempSync(join(tmpdir(), 'complaint-loop-cdk-'));
  const context = { 'aws:cdk:bundling-stacks': [], complaintLoop: CARRIER_SETTINGS };

  it('fails without the carrier settings, before anything could be deployed', () => {
    expect(() => buildApp({ outdir: outdir(), context: { 'aws:cdk:bundling-stacks': [] } })).toThrow(
      /complaintLoop: required: the carrier settings/,
    );
  });

  it('synthesizes with cdk-nag as a validation plugin and nothing to report', () => {
    const { app } = buildApp({ outdir: outdir(), context });
    const assembly = app.synth();
    expect(assembly.getStackByName(STACK_NAME).template.Resources).toBeDefined();
  });

  it('fails the synth when a finding is not acknowledged', () => {
    const { app, stack } = buildApp({ outdir: outdir(), context });
    stack.workflow.functions.notify.role.addToPolicy(new iam.PolicyStatement({ actions: ['ses:*'], resources: ['*'] }));
    expect(() => app.synth()).toThrow('AwsSolutions-IAM5[Action::ses:*]');
  });
});
