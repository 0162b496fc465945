#!/usr/bin/env node
/**
 * `cdk synth` / `cdk deploy` entry (cdk.json): the app with its cdk-nag validation. Settings that
 * are missing or cannot deploy stop here with the fields named, without a stack trace.
 */
import { buildApp } from '../lib/app';
import { SettingsError } from '../lib/settings';

try {
  buildApp();
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
