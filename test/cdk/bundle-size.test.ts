/**
 * Each function's bundle as the stack builds it (FUNCTION_BUNDLING): only the SDK clients the
 * handler calls, no library it never uses (nor the chinese-days module, only its JSON tables), and
 * what the project adds beside the SDK kept under 210 KiB (zod/mini, never classic zod). Sizes are deterministic for a given lockfile; timings are measured in
 * bench/cold-start.ts, never here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { kibByPackage, stackBuildOptions } from '../../bench/cold-start';
import {
  API_HANDLERS,
  type HandlerName,
  handlerEntryAbsolute,
  SCHEDULED_HANDLERS,
  SIGN_IN_HANDLERS,
  STREAM_HANDLERS,
  WORKFLOW_HANDLERS,
} from '../../lib/paths';

const HANDLERS: readonly HandlerName[] = [
  ...WORKFLOW_HANDLERS,
  ...API_HANDLERS,
  ...SCHEDULED_HANDLERS,
  ...STREAM_HANDLERS,
  ...SIGN_IN_HANDLERS,
];

/** The SDK clients each handler calls (its grants say the same). */
const CLIENTS: Record<HandlerName, readonly string[]> = {
  classify: ['dynamodb'],
  lifecycle: ['dynamodb'],
  'await-milestone': ['dynamodb', 'sfn'],
  'clock-tick': ['dynamodb', 'eventbridge', 'sesv2'],
  notify: ['dynamodb', 'eventbridge', 'sesv2'],
  intake: ['dynamodb', 'sfn', 'sqs'],
  'complaint-events': ['dynamodb', 'sfn', 'sqs'],
  'get-complaint': ['dynamodb'],
  survey: ['dynamodb', 'sfn'],
  'escalation-ack': ['dynamodb'],
  console: ['dynamodb'],
  sweep: ['dynamodb', 'eventbridge', 'sesv2', 'sfn'],
  'analysis-export': ['dynamodb'],
  // Sign-in talks to the user pool's token endpoint and key set over HTTPS, not through the SDK.
  'console-sign-in': [],
  'console-authorizer': [],
};

const isSdk = (pkg: string) => /^@(aws-sdk|smithy|aws-crypto)\//.test(pkg) || ['fast-xml-parser', 'strnum', 'tslib'].includes(pkg);
const PROJECT_BUDGET_KIB = 210;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function bundle(handler: HandlerName): { kib: number; byPackage: Record<string, number>; inputs: string[] } {
  const outfile = path.join(dir, handler, 'index.mjs');
  const r = buildSync(stackBuildOptions({ entryPoints: [handlerEntryAbsolute(handler)], outfile, sourcemap: false }));
  // Modules that put code in the bundle (a re-exporting index tree-shaken to nothing does not).
  const inputs = Object.values(r.metafile!.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
  return { kib: fs.statSync(outfile).size / 1024, byPackage: kibByPackage(r.metafile!), inputs };
}

describe('function bundles', () => {
  it.each(HANDLERS)(
    '%s holds only the SDK clients it calls, no jsonata, classic zod, zod locales but English or chinese-days module, and adds under 210 KiB beside the SDK',
    (handler) => {
      const b = bundle(handler);
      const clients = Object.keys(b.byPackage)
        .map((pkg) => /^@aws-sdk\/client-(.+)$/.exec(pkg)?.[1])
        .filter((c): c is string => c !== undefined)
        .sort();
      expect(clients).toEqual([...CLIENTS[handler]].sort());
      expect(
        b.inputs.filter((f) => /node_modules\/jsonata\/|zod\/v4\/classic\/|zod\/v4\/locales\/(?!en\.)|chinese-days\/dist\/index/.test(f)),
      ).toEqual([]);
      const projectKiB = Object.entries(b.byPackage)
        .filter(([pkg]) => !isSdk(pkg))
        .reduce((sum, [, kib]) => sum + kib, 0);
      expect(projectKiB, `${handler}: ${JSON.stringify(b.byPackage)}`).toBeLessThan(PROJECT_BUDGET_KIB);
    },
  );
});
