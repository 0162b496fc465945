/**
 * Point this test file's process at the integration project's shared local services. Call it
 * before importing handler modules: they read their environment once, at module load.
 */
import { inject } from 'vitest';

export interface LocalServices {
  dynamodb: string;
  ses: string;
  awsLite: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function useLocalServices(extraEnv: Record<string, string> = {}): LocalServices {
  const services: LocalServices = {
    dynamodb: inject('dynamodbEndpoint'),
    ses: inject('sesEndpoint'),
    awsLite: inject('awsLiteEndpoint'),
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  Object.assign(process.env, {
    AWS_REGION: services.region,
    AWS_ACCESS_KEY_ID: services.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: services.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamodb,
    AWS_ENDPOINT_URL_SESV2: services.ses,
    AWS_ENDPOINT_URL_SES: services.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: services.awsLite,
    AWS_ENDPOINT_URL_SQS: services.awsLite,
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...extraEnv,
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  return services;
}

/** A table name unique to this test file's run (tests share one DynamoDB Local). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
