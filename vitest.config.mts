import { defineConfig } from 'vitest/config';

// The SDK's notice that Node 22 will be needed in 2027 says nothing about these tests. In the
// integration project the handlers' INFO logs would drown the report (log-scanning tests set
// their own level); unit tests read the logs they assert on.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

// Two projects: "unit" needs nothing but Node (engine, domain, CDK assertions);
// "integration" shares one DynamoDB Local and one local SES, started by its global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['test/unit/**/*.test.ts', 'test/engine/**/*.test.ts', 'test/cdk/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          env: { ...env, POWERTOOLS_LOG_LEVEL: 'WARN' },
          include: ['test/workflow/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
