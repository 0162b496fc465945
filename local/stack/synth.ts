/**
 * Synthesize the CDK app in this process, without bundling (the local runtime runs the handler
 * sources directly), and return the stack's CloudFormation template. The local runtime passes its
 * own settings (LOCAL_SETTINGS: local SES accepts any address); a carrier's `complaintLoop`
 * context is for deploying and is not read here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { ComplaintLoopStack } from '../../lib/complaint-loop-stack';
import { REPO_ROOT } from '../../lib/paths';
import { type ComplaintLoopSettingsInput, LOCAL_SETTINGS } from '../../lib/settings';
import type { CfnTemplate } from './resolve';

/** The `context` of cdk.json, so the local template is built with the feature flags `cdk synth` uses. */
function cdkJsonContext(): Record<string, unknown> {
  const file = path.join(REPO_ROOT, 'cdk.json');
  if (!fs.existsSync(file)) return {};
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

export function synthesizeTemplate(opts: { context?: Record<string, unknown>; settings?: ComplaintLoopSettingsInput } = {}): CfnTemplate {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-synth-'));
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        // Skip esbuild bundling: the handlers run from source in this process.
        'aws:cdk:bundling-stacks': [],
        ...opts.context,
      },
    });
    const stack = new ComplaintLoopStack(app, 'ComplaintLoop', { settings: opts.settings ?? LOCAL_SETTINGS });
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template as CfnTemplate;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
