/** The cold-start bench's pure parts: which zod a handler uses, what a bundle imports, what each step adds. */
import { describe, expect, it } from 'vitest';
import { addedPerRound, externalImports, zodImports, zodStepCode } from '../../../bench/cold-start';

describe('zodImports', () => {
  it('reads the members a namespace import is used for, once each, sorted', () => {
    const source = "import * as z from 'zod';\nexport const A = z.object({ id: z.string(), n: z.number() });\nconst B = z.string();";
    expect(zodImports([source])).toEqual([{ specifier: 'zod', members: ['number', 'object', 'string'] }]);
  });

  it('keeps zod and zod/mini apart, and reads named imports by their exported names', () => {
    const classic = "import { z } from 'zod';\nz.object({});";
    const mini =
      "import * as m from 'zod/mini';\nimport { type ZodMiniType, optional as opt, string } from 'zod/mini';\nm.object({ a: opt(string()) });";
    expect(zodImports([classic, mini])).toEqual([
      { specifier: 'zod', members: ['z'] },
      { specifier: 'zod/mini', members: ['object', 'optional', 'string'] },
    ]);
  });

  it('skips type-only imports and names that only end like the namespace', () => {
    const source =
      "import type * as z from 'zod';\nimport * as s from 'zod/mini';\ntype T = z.infer<typeof X>;\nconst X = s.object({});\nfoo.s.array; bars.string;";
    expect(zodImports([source])).toEqual([{ specifier: 'zod/mini', members: ['object'] }]);
  });

  it("reads an import of the project's zod module as the entry that module re-exports, and skips it when that is unknown", () => {
    const source = "import * as z from '../domain/zod';\nexport const A = z.strictObject({ id: z.string() });";
    expect(zodImports([source], { reexports: 'zod/mini' })).toEqual([{ specifier: 'zod/mini', members: ['strictObject', 'string'] }]);
    expect(zodImports([source])).toEqual([]);
  });

  it('finds nothing in modules that do not import zod', () => {
    expect(zodImports(["import { Logger } from '@aws-lambda-powertools/logger';\nz.object({});"])).toEqual([]);
  });
});

describe('zodStepCode', () => {
  it('keeps exactly the members given, one namespace per entry point', () => {
    const code = zodStepCode([
      { specifier: 'zod', members: ['object', 'string'] },
      { specifier: 'zod/mini', members: ['optional'] },
    ]);
    expect(code.split('\n')).toEqual([
      'import * as zod0 from "zod";',
      'export const zodMembers0 = [zod0.object, zod0.string];',
      'import * as zod1 from "zod/mini";',
      'export const zodMembers1 = [zod1.optional];',
    ]);
  });
});

describe('externalImports', () => {
  it('lists the modules a minified ESM bundle imports, once each, in order, and no dynamic import', () => {
    const code =
      'import{DynamoDBClient as a}from"@aws-sdk/client-dynamodb";import"node:crypto";var x=1;import{SQSClient as b}from"@aws-sdk/client-sqs";' +
      'import * as c from "@aws-sdk/lib-dynamodb";import{DynamoDBClient as d}from"@aws-sdk/client-dynamodb";const e=import("@aws-sdk/client-sfn");';
    expect(externalImports(code)).toEqual(['@aws-sdk/client-dynamodb', 'node:crypto', '@aws-sdk/client-sqs', '@aws-sdk/lib-dynamodb']);
  });
});

describe('addedPerRound', () => {
  it('gives the first step its own time and every later step its difference from the one before, round by round', () => {
    expect(
      addedPerRound([
        [100, 110],
        [112, 118],
        [150, 149.5],
      ]),
    ).toEqual([
      [100, 110],
      [12, 8],
      [38, 31.5],
    ]);
  });
});
