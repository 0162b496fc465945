/**
 * Global setup of the "integration" project: one DynamoDB Local, one local SES and one aws-lite
 * (EventBridge + SQS) for all its test files, on free ports, stopped afterwards. Tests read the
 * endpoints with `inject(...)` or, simpler, call `useLocalServices()` from test/support/local-env.ts
 * before importing any handler module (handlers read their environment at module load).
 */

import { startAwsLite } from '../local/services/aws-lite';
import { startDynamoDbLocal } from '../local/services/dynamodb-local';
import { startSesLocal } from '../local/services/ses-local';

// vitest/node is ESM-only; the type is read in import mode (Biome does not parse this attribute on an import statement).
type TestProject = import('vitest/node', { with: { 'resolution-mode': 'import' }}).TestProject;

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sesEndpoint: string;
    awsLiteEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // A missing Java fails here with JavaMissingError, whose message names Java 17.
  const [dynamo, ses, awsLite] = await Promise.all([startDynamoDbLocal(), startSesLocal(), startAwsLite()]);
  project.provide('dynamodbEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  project.provide('awsLiteEndpoint', awsLite.endpoint);
  return async () => {
    await Promise.allSettled([dynamo.stop(), ses.stop(), awsLite.stop()]);
  };
}
