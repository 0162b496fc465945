/**
 * The deployable app: the stack, and cdk-nag's AWS Solutions rules as a policy-validation plugin,
 * so any unacknowledged finding stops `cdk synth` and `cdk deploy`. The bin file only calls this.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ComplaintLoopStack } from './complaint-loop-stack';

export const STACK_NAME = 'ComplaintLoop';

export function buildApp(props: AppProps = {}): { app: App; stack: ComplaintLoopStack } {
  const app = new App(props);
  const stack = new ComplaintLoopStack(app, STACK_NAME, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
