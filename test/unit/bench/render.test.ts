/** Part 2 of bench/results.md: the runtime's SDK beside the bundled one, and where the init time goes. */
import { describe, expect, it } from 'vitest';
import type { ColdStartResult, ColdStartRow } from '../../../bench/cold-start';
import { renderResults } from '../../../bench/render';
import type { MachineLoad, Spread } from '../../../bench/stats';

const machine: MachineLoad = {
  cpus: 2,
  cpuModel: 'test CPU',
  loadAverage: [1, 1, 1],
  totalMemoryMiB: 1024,
  node: 'v22.0.0',
  at: '2026-01-01T00:00:00.000Z',
};
const s = (median: number): Spread => ({ median, min: median - 1, max: median + 1, n: 3 });

const lifecycle: ColdStartRow = {
  handler: 'lifecycle',
  bundleKiB: 550,
  sdkKiB: 330,
  largest: { '@smithy/core': 131 },
  initMs: s(150),
  initCpuMs: s(140),
  floor: { clients: ['DynamoDB (document client)'], bundleKiB: 335, initMs: s(110), initCpuMs: s(100) },
  initRatio: s(1.4),
  sizeMet: false,
  initMet: false,
  runtimeSdkKiB: 212.3,
};

const result: ColdStartResult = {
  machine,
  node: 'v22.0.0',
  runsPerFunction: 3,
  nodeOptions: '',
  rows: [lifecycle],
  sourceMaps: { handler: 'notify', options: [] },
  runtimeSdk: {
    external: ['@aws-sdk/*', '@smithy/*'],
    sdkVersion: '3.1.0',
    rows: [
      {
        handler: 'lifecycle',
        variant: 'externalModules',
        bundleKiB: 212.3,
        bundledKiB: 550,
        sdkImports: ['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs'],
        initMs: s(600),
        initCpuMs: s(560),
        ratioToBundled: s(4),
        ratioToFloor: s(5.6),
        sizeMet: true,
      },
      {
        handler: 'lifecycle',
        variant: 'its clients only',
        bundleKiB: 211.8,
        bundledKiB: 550,
        sdkImports: ['@aws-sdk/client-dynamodb'],
        initMs: s(350),
        initCpuMs: s(330),
        ratioToBundled: s(2.36),
        ratioToFloor: s(3.3),
        sizeMet: true,
      },
    ],
  },
  initBreakdown: {
    handler: 'lifecycle',
    zod: [{ specifier: 'zod/mini', members: 12 }],
    zodKiB: { handler: 40, step: 42.5 },
    schemaModules: ['functions/contract/tasks.ts'],
    steps: [
      { step: 'SDK floor', bundleKiB: 335, initCpuMs: s(100), addedCpuMs: s(100) },
      { step: "+ zod (12 members of 'zod/mini')", bundleKiB: 377, initCpuMs: s(110), addedCpuMs: s(10) },
      { step: '+ the handler (project code, other packages, schemas built)', bundleKiB: 550, initCpuMs: s(140), addedCpuMs: s(30) },
    ],
  },
};

const rendered = (r: ColdStartResult) => renderResults({ machineBefore: machine, machineAfter: machine, coldStart: r }).split('\n');

describe('bench/results.md part 2', () => {
  it('gives each function its bundle size with the SDK left to the runtime', () => {
    expect(rendered(result)).toContain(
      '| lifecycle | 550 **not met** | 212.3 | 215 | DynamoDB (document client): 335 | 150.0 (149.0–151.0, n=3) / 110.0 (109.0–111.0, n=3) | 140.0 (139.0–141.0, n=3) / 100.0 (99.0–101.0, n=3) | 1.40 (0.40–2.40, n=3) **not met** | @smithy/core 131 |',
    );
  });

  it('sets the runtime-SDK builds under the bundled function, with their ratios to it and to the floor', () => {
    const lines = rendered(result);
    const at = lines.findIndex((l) => l.startsWith("### The runtime's SDK or the bundled one (@aws-sdk/*, @smithy/* left out"));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 4, at + 7)).toEqual([
      "| lifecycle | SDK bundled (the stack's build) | – | 550 **not met** | 140.0 (139.0–141.0, n=3) | 1 | 1.40 (0.40–2.40, n=3) **not met** |",
      '| lifecycle | SDK external (externalModules) | 2 | 212.3 met | 560.0 (559.0–561.0, n=3) | 4.00 (3.00–5.00, n=3) | 5.60 (4.60–6.60, n=3) **not met** |',
      '| lifecycle | SDK external, only its clients imported | 1 | 211.8 met | 330.0 (329.0–331.0, n=3) | 2.36 (1.36–3.36, n=3) | 3.30 (2.30–4.30, n=3) **not met** |',
    ]);
    expect(lines.some((l) => l.includes("import the project's SDK 3.1.0 from node_modules"))).toBe(true);
  });

  it('breaks the init down step by step, each step with its share of the excess over the floor', () => {
    const lines = rendered(result);
    const at = lines.indexOf("### Where lifecycle's init goes beyond the SDK floor (cumulative entries, same rounds)");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 4, at + 7)).toEqual([
      '| SDK floor | 335 | 100.0 (99.0–101.0, n=3) | – | – |',
      "| + zod (12 members of 'zod/mini') | 377 | 110.0 (109.0–111.0, n=3) | 10.0 (9.0–11.0, n=3) | 25% |",
      '| + the handler (project code, other packages, schemas built) | 550 | 140.0 (139.0–141.0, n=3) | 30.0 (29.0–31.0, n=3) | 75% |',
    ]);
    expect(lines.some((l) => l.includes('`zod/mini` (12 members): 42.5 KiB of zod, against 40 KiB in the handler'))).toBe(true);
    expect(lines.some((l) => l.includes("the project's modules that import zod (functions/contract/tasks.ts: a bundle keeps"))).toBe(true);
  });

  it('renders results written before these measurements without their sections', () => {
    const { runtimeSdk: _r, initBreakdown: _b, ...older } = result;
    const lines = rendered({ ...older, rows: [{ ...lifecycle, runtimeSdkKiB: undefined }] });
    expect(lines.some((l) => l.startsWith('| lifecycle | 550 **not met** | – | 215 |'))).toBe(true);
    expect(lines.some((l) => l.startsWith('### '))).toBe(false);
  });
});
