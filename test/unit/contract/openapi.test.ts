/**
 * The published contracts are current and well formed: docs/openapi.json, docs/events/*.json and
 * the event catalogue in docs/integrations.md equal what the generator builds from the zod schemas
 * (run `npm run docs:openapi` when they do not), and API Gateway's request models never refuse a
 * body the handler accepts. Schemas are compiled with ajv (installed with asl-validator).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EventAnswer } from '../../../functions/app/api/events';
import type { IntakeAnswer } from '../../../functions/app/api/intake';
import type { IssuedLink } from '../../../functions/app/api/link-request';
import type { eventAnswerSchema, intakeAnswerSchema, issuedLinkSchema } from '../../../functions/contract/api-answers';
import {
  apiGatewayRequestModels,
  buildOpenApiDocument,
  contractDocuments,
  REQUEST_BODIES,
  renderEventCatalogue,
  withEventCatalogue,
} from '../../../functions/contract/openapi';
import * as z from '../../../functions/domain/zod';

const ROOT = join(__dirname, '../../..');
const STALE = 'is not current: run `npm run docs:openapi` and commit the result';
const document = buildOpenApiDocument() as any;

describe('the committed contracts', () => {
  it.each(contractDocuments().map((d) => [d.path, d.json] as const))('%s is current', (path, json) => {
    expect(JSON.parse(readFileSync(join(ROOT, path), 'utf8')), `${path} ${STALE}`).toEqual(json);
  });

  it('docs/integrations.md lists the events as the schemas say', () => {
    const markdown = readFileSync(join(ROOT, 'docs/integrations.md'), 'utf8');
    expect(markdown, `the event catalogue in docs/integrations.md ${STALE}`).toBe(withEventCatalogue(markdown));
    expect(markdown).toContain(renderEventCatalogue());
  });
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with info, paths and components', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/complaints', '/complaints/{id}', '/complaints/{id}/events', '/complaints/{id}/links/{kind}']),
    );
  });

  it.each(REQUEST_BODIES.map((b) => [`${b.method} ${b.path}`, b] as const))(
    "%s: its request body's schema is the handler's zod schema as JSON Schema",
    (_, body) => {
      const content = document.paths[body.path][body.method.toLowerCase()].requestBody.content['application/json'];
      const { $schema: _dialect, ...expected } = z.toJSONSchema(body.schema, { io: 'input' });
      expect(resolve(content.schema)).toEqual(expected);
    },
  );

  it('documents the answers the app builds (checked by tsc)', () => {
    expectTypeOf<IntakeAnswer>().toExtend<z.output<typeof intakeAnswerSchema>>();
    expectTypeOf<IssuedLink>().toExtend<z.output<typeof issuedLinkSchema>>();
    expectTypeOf<EventAnswer['applied']>().toExtend<z.output<typeof eventAnswerSchema>['applied']>();
  });

  it('every $ref resolves, every path parameter is declared, operation ids are unique', () => {
    for (const ref of JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? []) {
      expect(() => resolve(JSON.parse(`{${ref}}`)), ref).not.toThrow();
    }
    const operationIds: string[] = [];
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [verb, operation] of Object.entries<any>(item)) {
        if (verb === 'parameters') continue;
        const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])].filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${verb} ${path}`).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
        expect(Object.keys(operation.responses).length, `${verb} ${path}`).toBeGreaterThan(0);
        if (operation.operationId) operationIds.push(operation.operationId);
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('every component schema is valid JSON Schema 2020-12 (OpenAPI 3.1 dialect)', () => {
    const ajv = new Ajv2020({ strict: false });
    for (const [name, schema] of Object.entries<object>(document.components.schemas)) {
      expect(ajv.validateSchema(schema), `${name}: ${ajv.errorsText(ajv.errors)}`).toBe(true);
    }
  });
});

describe('API Gateway request models', () => {
  const ajv = new Ajv({ strict: false, schemaId: 'auto' } as never);
  // Draft-04 and draft-07 read these keywords alike (type, properties, required, enum, lengths, additionalProperties).
  const edge = Object.fromEntries(
    apiGatewayRequestModels().map((m) => {
      const { $schema: _, ...schema } = m.schema;
      return [m.name, ajv.compile(schema)];
    }),
  );

  const intake = {
    requestId: 'req-1',
    customerId: 'cust-1',
    contact: { phone: '13812345678' },
    channel: 'online',
    source: 'external',
    serviceType: 'data',
    description: '流量扣费异常',
    occurredAt: '2026-03-01T08:00:00+08:00',
  };
  const events = [
    { eventId: 'e-1', actor: 'agent-7', type: 'acknowledged' },
    { eventId: 'e-2', actor: 'agent-7', type: 'dispatched', owner: 'noc@carrier.cn', team: 'network-operations' },
    { eventId: 'e-3', actor: 'agent-7', type: 'reclassified', severity: 'major', reason: 'outage' },
    { eventId: 'e-4', actor: 'agent-7', type: 'resolved', resolution: { what: 'billing fixed', how: 'refund' } },
    { eventId: 'e-5', actor: 'agent-7', type: 'paused', reason: 'waiting on the customer' },
  ];
  const ODD_VALUES = [
    '   padded   ',
    ` ${'字'.repeat(4000)} `,
    ` ${'x'.repeat(128)} `,
    'x'.repeat(300),
    '',
    'major',
    'customer-service',
    42,
    null,
  ];
  const KEYS_TO_TRY = ['note', 'severityHint', 'language', 'extra'];
  /** Bodies near a valid one: each field (and a few more) set to each odd value, or dropped. */
  const nearBodies = (base: Record<string, unknown>) =>
    [...Object.keys(base), ...KEYS_TO_TRY].flatMap((key) => [
      ...ODD_VALUES.map((value) => ({ ...base, [key]: value })),
      Object.fromEntries(Object.entries(base).filter(([k]) => k !== key)),
    ]);
  const randomNear = (base: Record<string, unknown>) =>
    fc
      .tuple(fc.constantFrom(...Object.keys(base), ...KEYS_TO_TRY), fc.oneof(fc.string({ maxLength: 30 }), fc.integer()))
      .map(([key, value]) => ({ ...base, [key]: value }));

  it('never refuse a body the handler accepts (intake)', () => {
    const schema = REQUEST_BODIES[0].schema;
    const accepted = (body: unknown) => !schema.safeParse(body).success || edge.IntakeRequest!(body);
    expect(schema.safeParse(intake).success).toBe(true);
    for (const body of nearBodies(intake)) expect(accepted(body), JSON.stringify(body).slice(0, 200)).toBe(true);
    fc.assert(fc.property(randomNear(intake), accepted), { numRuns: 200 });
  });

  it('never refuse a body the handler accepts (lifecycle events)', () => {
    const schema = REQUEST_BODIES[1].schema;
    const accepted = (body: unknown) => !schema.safeParse(body).success || edge.LifecycleEvent!(body);
    for (const event of events) {
      expect(schema.safeParse(event).success, event.type).toBe(true);
      for (const body of nearBodies(event)) expect(accepted(body), JSON.stringify(body).slice(0, 200)).toBe(true);
    }
    fc.assert(fc.property(fc.constantFrom(...events).chain(randomNear), accepted), { numRuns: 200 });
  });

  it('fails malformed bodies at the edge: unknown field, value outside an enumeration, missing field, wrong type', () => {
    expect(edge.IntakeRequest!(intake)).toBe(true);
    expect(edge.IntakeRequest!({ ...intake, priority: 'high' })).toBe(false);
    expect(edge.IntakeRequest!({ ...intake, channel: 'fax' })).toBe(false);
    const { description: _, ...withoutDescription } = intake;
    expect(edge.IntakeRequest!(withoutDescription)).toBe(false);
    expect(edge.IntakeRequest!({ ...intake, contact: '13812345678' })).toBe(false);
    expect(edge.LifecycleEvent!({ eventId: 'e', actor: 'a', type: 'escalated' })).toBe(false);
    expect(edge.LifecycleEvent!({ eventId: 'e', type: 'acknowledged' })).toBe(false);
    expect(edge.LifecycleEvent!({ eventId: 'e', actor: 'a', type: 'acknowledged', notes: 'typo' })).toBe(false);
  });
});

/** Follows a local `#/...` reference in the document. */
function resolve(schema: { $ref?: string }): unknown {
  if (!schema.$ref) return schema;
  return schema.$ref
    .slice(2)
    .split('/')
    .reduce((node: any, key) => {
      if (node?.[key] === undefined) throw new Error(`unresolved ${schema.$ref}`);
      return node[key];
    }, document);
}
