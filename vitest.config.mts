import { defineConfig } from 'vitest/config';

// The SDK's notice that Node 22 will be needed in 2027 says nothing about these tests. In the
// integration and e2e projects the handlers' INFO logs would drown the report (log-scanning tests
// set their own level), and metrics and tracing are off as in npm start (LOCAL_POWERTOOLS_ENV in
// local/local-stack.ts); unit tests read the logs they assert on.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
const quietEnv = { ...env, POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_TRACE_ENABLED: 'false' };

// Tests under test/unit and test/engine that open a listening socket, run curl or spawn a CLI.
// They run in the "servers" project, so that "unit" stays hermetic. A new test of that kind either
// goes in this list or is named *.server.test.ts.
const SERVER_TESTS = [
  'test/unit/local/api-server.test.ts',
  'test/unit/local/aws-lite.test.ts',
  'test/engine/http-server.test.ts',
  'test/**/*.server.test.ts',
];

// Unit tests that need a fresh copy of the modules they import (module-level state: the metrics
// singleton, the local SES's sandbox, a function's environment scope, handler modules built from
// their environment at load). They run isolated; the rest of the unit layer shares one module graph
// per worker, which is what keeps the layer fast (imports are most of its cost).
const OWN_MODULE_TESTS = [
  'test/unit/app/metrics.test.ts',
  'test/unit/local/function-registry.test.ts',
  'test/unit/local/ses-local.test.ts',
  'test/unit/handlers/**/*.test.ts',
];

// The test of the integration project's own global setup (DynamoDB Local, local SES, aws-lite).
const SHARED_SERVICES_TEST = 'test/e2e/local-services.test.ts';

// Five projects, from the fastest to the slowest (docs/testing.md says how to run each):
// - unit (and unit-isolated): Node only, in process: no socket, no child process, no JVM, no browser; vitest's default timeouts.
// - cdk: the CDK stack synthesized and asserted (bundling runs esbuild in child processes).
// - servers: the local HTTP servers (API, aws-lite, the engine's endpoint and CLI) on loopback.
// - integration: the synthesized workflow on the engine with the real handlers, against one DynamoDB
//   Local and one local SES that its global setup starts.
// - e2e: npm start's stack as a whole, the demo, and the pages in a browser.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          env,
          include: ['test/unit/**/*.test.ts', 'test/engine/**/*.test.ts'],
          exclude: [...SERVER_TESTS, ...OWN_MODULE_TESTS],
          pool: 'threads',
          isolate: false,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          env,
          include: OWN_MODULE_TESTS,
          exclude: SERVER_TESTS,
        },
      },
      {
        test: {
          name: 'cdk',
          env,
          include: ['test/cdk/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'servers',
          env,
          include: SERVER_TESTS,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          env: quietEnv,
          include: ['test/workflow/**/*.test.ts', SHARED_SERVICES_TEST],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          env: quietEnv,
          include: ['test/e2e/**/*.test.ts'],
          exclude: [SHARED_SERVICES_TEST],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
