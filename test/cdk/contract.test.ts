/**
 * The contract between the stack and the functions (functions/contract) is what the synthesized
 * template actually sets: the variable names on the functions, the table's keys and indexes, and
 * the handler metadata the local runtime maps functions by.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTACTS,
  CUSTOMER_LANGUAGES,
  ENVIRONMENT_VARIABLES,
  exampleEnvironment,
  PUBLIC_BASE_URL,
  RETENTION_DAYS,
  SLA_POLICY,
  TIME_ZONE,
} from '../../functions/contract/environment';
import { contactsSchema, customerLanguagesSchema, slaPolicyOverridesSchema } from '../../functions/contract/settings';
import { TABLE_INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from '../../functions/contract/table';
import { ENTRY_METADATA_KEY } from '../../functions/contract/template';
import { isValidTimeZone } from '../../functions/domain/calendar';
import { resolveSlaPolicy } from '../../functions/domain/sla-policy';
import { REPO_ROOT } from '../../lib/paths';
import { CARRIER_SETTINGS, resourcesOfType, synthStack } from './support/synth';

const { template } = synthStack({ settings: CARRIER_SETTINGS });
const functions = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'));
const complaintFunctions = functions.filter((fn) => typeof fn.Metadata?.[ENTRY_METADATA_KEY] === 'string');
/** Variables Node and Powertools read themselves: not part of the contract with the handlers' code. */
const RUNTIME_VARIABLES = new Set([
  'NODE_OPTIONS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'LOG_LEVEL',
  'POWERTOOLS_LOGGER_LOG_EVENT',
  'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
]);
const variablesOf = (fn: (typeof functions)[number]) => Object.keys(fn.Properties?.Environment?.Variables ?? {});

describe('the stack–functions contract', () => {
  it('names every complaint-loop function by its handler module under the contract metadata key', () => {
    expect(complaintFunctions).toHaveLength(functions.length);
    for (const fn of complaintFunctions) expect(fn.Metadata?.[ENTRY_METADATA_KEY]).toMatch(/^functions\/handlers\/[a-z-]+\.ts$/);
  });

  it('sets only variables of the contract (or of Node and Powertools) on the functions', () => {
    const contract = new Set<string>(ENVIRONMENT_VARIABLES.map((v) => v.name));
    for (const fn of complaintFunctions) {
      const unknown = variablesOf(fn).filter((name) => !contract.has(name) && !RUNTIME_VARIABLES.has(name));
      expect(unknown, String(fn.Metadata?.[ENTRY_METADATA_KEY])).toEqual([]);
    }
  });

  it('sets every variable of the contract on some function', () => {
    const set = new Set(complaintFunctions.flatMap(variablesOf));
    for (const variable of ENVIRONMENT_VARIABLES) expect(set.has(variable.name), variable.name).toBe(true);
  });

  it('says what each variable holds and which construct sets it', () => {
    for (const variable of ENVIRONMENT_VARIABLES) {
      expect(variable.holds.length, variable.name).toBeGreaterThan(0);
      expect(variable.setBy, variable.name).toMatch(/^Complaint[A-Za-z]+/);
    }
    expect(new Set(ENVIRONMENT_VARIABLES.map((v) => v.name)).size).toBe(ENVIRONMENT_VARIABLES.length);
  });

  it('gives examples the functions accept', () => {
    const env = exampleEnvironment();
    expect(Object.keys(env)).toEqual(ENVIRONMENT_VARIABLES.map((v) => v.name));
    expect(contactsSchema.safeParse(JSON.parse(env[CONTACTS.name])).success).toBe(true);
    expect(customerLanguagesSchema.safeParse(env[CUSTOMER_LANGUAGES.name]).success).toBe(true);
    expect(() => resolveSlaPolicy(slaPolicyOverridesSchema.parse(JSON.parse(env[SLA_POLICY.name])))).not.toThrow();
    expect(isValidTimeZone(env[TIME_ZONE.name])).toBe(true);
    expect(env[RETENTION_DAYS.name]).toMatch(/^\d+$/);
    expect(env[PUBLIC_BASE_URL.name]).toMatch(/^https:\/\/\S+[^/]$/);
  });

  it("creates the table with the contract's keys, TTL attribute and keys-only indexes", () => {
    const [table] = Object.values(resourcesOfType(template, 'AWS::DynamoDB::Table'));
    expect(table?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: TABLE_KEY.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEY.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
    const indexes = (table?.Properties?.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown[] }[];
    expect(Object.fromEntries(indexes.map((index) => [index.IndexName, index.KeySchema]))).toEqual(
      Object.fromEntries(
        Object.entries(TABLE_INDEXES).map(([name, keys]) => [
          name,
          [
            { AttributeName: keys.partitionKey, KeyType: 'HASH' },
            { AttributeName: keys.sortKey, KeyType: 'RANGE' },
          ],
        ]),
      ),
    );
  });
});

describe('the contract module', () => {
  it('imports nothing but zod, node built-ins, its own modules and the domain (no CDK, no AWS SDK)', () => {
    const dir = path.join(REPO_ROOT, 'functions', 'contract');
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = fs.readFileSync(path.join(dir, file), 'utf8');
      const specifiers = [...source.matchAll(/^(?:import|export)[^'";]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
      const outside = specifiers.filter((s) => !/^(zod|node:[a-z_]+|\.\/[\w-]+|\.\.\/domain\/[\w/-]+)$/.test(s));
      expect(outside, file).toEqual([]);
    }
  });
});
