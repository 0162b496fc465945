#!/usr/bin/env node
/** `cdk synth` / `cdk deploy` entry (cdk.json): the app with its cdk-nag validation. */
import { buildApp } from '../lib/app';

buildApp();
