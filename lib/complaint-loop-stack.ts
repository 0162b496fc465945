/**
 * The composition root: one stack with the key, the data, notifications, the workflow and the API.
 * Settings come from props or the `complaintLoop` context and are validated here, at synth time.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { SLA_POLICY, TIME_ZONE } from '../functions/contract/environment';
import { ComplaintAlarms } from './constructs/complaint-alarms';
import { ComplaintAnalysis } from './constructs/complaint-analysis';
import { ComplaintApi } from './constructs/complaint-api';
import { ComplaintData } from './constructs/complaint-data';
import { ComplaintKey } from './constructs/complaint-key';
import { ComplaintNotifications } from './constructs/complaint-notifications';
import { ComplaintSchemas } from './constructs/complaint-schemas';
import { ComplaintSweep } from './constructs/complaint-sweep';
import { ComplaintWorkflow } from './constructs/complaint-workflow';
import type { SharedFunctionProps } from './constructs/shared-function-props';
import { type ComplaintLoopSettings, type ComplaintLoopSettingsInput, loadSettings, SETTINGS_CONTEXT_KEY } from './settings';

export interface ComplaintLoopStackProps extends StackProps {
  /**
   * The carrier's settings. When given, the `complaintLoop` context is not read.
   * @default - the `complaintLoop` context value; without one the synth fails naming what is missing
   */
  readonly settings?: ComplaintLoopSettingsInput;
  /**
   * The ASL definition to deploy (tests pass a small one).
   * @default buildComplaintLoopDefinition() from workflows/complaint-loop.ts
   */
  readonly definition?: Record<string, unknown>;
}

export class ComplaintLoopStack extends Stack {
  readonly settings: ComplaintLoopSettings;
  readonly data: ComplaintData;
  readonly notifications: ComplaintNotifications;
  readonly alarms: ComplaintAlarms;
  readonly workflow: ComplaintWorkflow;
  readonly api: ComplaintApi;
  readonly sweep: ComplaintSweep;
  readonly analysis: ComplaintAnalysis;

  constructor(scope: Construct, id: string, props: ComplaintLoopStackProps = {}) {
    super(scope, id, { description: 'complaint-loop: the telecom complaint closed loop', ...props });
    const settings = loadSettings(props.settings ?? this.node.tryGetContext(SETTINGS_CONTEXT_KEY));
    this.settings = settings;

    const { key } = new ComplaintKey(this, 'Key');
    const functionProps = sharedFunctionProps(settings, key);

    this.data = new ComplaintData(this, 'Data', {
      encryptionKey: key,
      retentionDays: settings.retentionDays,
      deletionProtection: settings.deletionProtection,
    });
    this.notifications = new ComplaintNotifications(this, 'Notifications', {
      senderAddress: settings.senderAddress,
      contacts: settings.contacts,
      configurationSet: settings.sesConfigurationSet,
      customerLanguages: settings.customerLanguages,
    });
    new ComplaintSchemas(this, 'EventSchemas');
    this.alarms = new ComplaintAlarms(this, 'Alarms', { encryptionKey: key, alarmEmail: settings.alarmEmail });
    this.workflow = new ComplaintWorkflow(this, 'Workflow', {
      data: this.data,
      notifications: this.notifications,
      alarms: this.alarms,
      functionProps,
      definition: props.definition,
    });
    this.api = new ComplaintApi(this, 'Api', {
      data: this.data,
      workflow: this.workflow,
      alarms: this.alarms,
      functionProps,
      throttlingRateLimit: settings.api.rateLimit,
      throttlingBurstLimit: settings.api.burstLimit,
      wafRateLimit: settings.api.wafRateLimit,
      cloudWatchRole: settings.api.cloudWatchRole,
      signIn: settings.signIn && {
        domainPrefix: settings.signIn.domainPrefix,
        identityProviders: settings.signIn.identityProviders.map((name) => cognito.UserPoolClientIdentityProvider.custom(name)),
      },
    });
    this.sweep = new ComplaintSweep(this, 'Sweep', {
      data: this.data,
      notifications: this.notifications,
      alarms: this.alarms,
      workflow: this.workflow,
      functionProps,
    });
    this.linkPublicPages();
    this.analysis = new ComplaintAnalysis(this, 'Analysis', {
      data: this.data,
      alarms: this.alarms,
      functionProps,
      encryptionKey: key,
      retentionDays: settings.retentionDays,
    });
  }

  /** The functions that put survey or acknowledgement links in emails or answers (12.8: an SMS gateway asks complaint-events). */
  private linkPublicPages(): void {
    for (const fn of [
      this.workflow.functions.notify,
      this.workflow.functions['clock-tick'],
      this.sweep.function,
      this.api.functions['complaint-events'],
    ]) {
      this.api.linkPublicPages(fn);
    }
  }
}

/** What every function shares: the key, log retention, and the settings without a grant behind them (policy and zone). */
function sharedFunctionProps(settings: ComplaintLoopSettings, key: kms.IKey): SharedFunctionProps {
  return {
    encryptionKey: key,
    logRetention: settings.logRetentionDays,
    environment: {
      [TIME_ZONE.name]: settings.timeZone,
      [SLA_POLICY.name]: JSON.stringify(settings.slaPolicy),
    },
  };
}
