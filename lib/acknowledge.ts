/**
 * cdk-nag 3 findings are acknowledged with CDK's own Validations API, one finding id at a time;
 * an acknowledgment covers the construct and everything under it. Every one carries its reason.
 */
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** AwsSolutions-IAM5 findings look like 'Action::kms:GenerateDataKey*' or 'Resource::<Table.Arn>/index/*'. */
export function acknowledgeWildcards(scope: IConstruct, findings: readonly string[], reason: string): void {
  for (const finding of findings) acknowledge(scope, `AwsSolutions-IAM5[${finding}]`, reason);
}
