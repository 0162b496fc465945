/**
 * The published contracts, generated from the zod schemas the handlers and the publisher use:
 * the OpenAPI 3.1 document of the API (docs/openapi.json), API Gateway's request models (JSON
 * Schema draft-04, checked at the edge), and the event schemas (docs/events/, the schema registry).
 * `npm run docs:openapi` writes the docs; a unit test fails when they are not current.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleEventSchema } from '../domain/lifecycle-events';
import * as z from '../domain/zod';
import { intakeBodySchema } from './api';
import { complaintViewSchema, errorAnswerSchema, eventAnswerSchema, intakeAnswerSchema, issuedLinkSchema } from './api-answers';
import {
  deliveryFields,
  EVENT_SOURCE,
  eventCatalogue,
  eventJsonSchema,
  eventSchemaFile,
  eventSchemaName,
  PUBLISHED_EVENTS,
  type PublishedDetailType,
} from './events';

type JsonSchema = Record<string, unknown>;

/** Request bodies: their schema name in the document, the route, and the zod schema the handler parses with. */
export const REQUEST_BODIES = [
  { name: 'IntakeRequest', method: 'POST', path: '/complaints', schema: intakeBodySchema },
  { name: 'LifecycleEvent', method: 'POST', path: '/complaints/{id}/events', schema: lifecycleEventSchema },
] as const;

const ANSWERS = {
  IntakeAccepted: intakeAnswerSchema,
  Complaint: complaintViewSchema,
  EventApplied: eventAnswerSchema,
  IssuedLink: issuedLinkSchema,
  Error: errorAnswerSchema,
} as const;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a request body, as the handler reads it (defaults optional). */
export function requestJsonSchema(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' });
  return rest;
}

function answerJsonSchema(schema: z.core.$ZodType): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' });
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: string) => ({ 'application/json': { schema: ref(name) } });
const answer = (description: string, name = 'Error') => ({ description, content: jsonContent(name) });
const html = (description: string) => ({ description, content: { 'text/html': { schema: { type: 'string' } } } });
const pathParameter = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const complaintIdParameter = pathParameter('id', 'the complaint id (from the intake answer)');

const SIGNED = [{ sigv4: [] }];
const COMMON_ERRORS = {
  '403': answer('Missing or invalid SigV4 signature, or a principal without execute-api:Invoke on the route'),
  '413': answer('Body larger than 64 KiB'),
  '415': answer('Content-Type is not application/json (UTF-8)'),
  '503': answer('Temporarily unavailable: retry with the same request id or event id (Retry-After)'),
};
const BAD_BODY = answer(
  'Invalid body. At the edge API Gateway answers {"message": "Invalid request body"} for a body its model refuses; the handler names each failing field in `errors`.',
);

function machinePaths(): Record<string, unknown> {
  return { ...intakePath(), ...complaintPaths() };
}

function intakePath(): Record<string, unknown> {
  return {
    '/complaints': {
      post: {
        operationId: 'submitComplaint',
        summary: 'A new complaint (H-11). Idempotent on the request id (body `requestId` or the Idempotency-Key header).',
        security: SIGNED,
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'the request id, when the body has none',
            schema: { type: 'string' },
          },
        ],
        requestBody: { required: true, content: jsonContent('IntakeRequest') },
        responses: {
          '202': { ...answer('Accepted; the workflow runs', 'IntakeAccepted'), headers: { Location: { schema: { type: 'string' } } } },
          '400': BAD_BODY,
          '409': answer('The request id was used before with a different body'),
          ...COMMON_ERRORS,
        },
      },
    },
  };
}

function complaintPaths(): Record<string, unknown> {
  return {
    '/complaints/{id}': {
      get: {
        operationId: 'getComplaint',
        summary: 'Status, milestone, every clock with its deadline and why, escalation level and history',
        security: SIGNED,
        parameters: [complaintIdParameter],
        responses: { '200': answer('The complaint', 'Complaint'), '404': answer('No such complaint'), '403': COMMON_ERRORS['403'] },
      },
    },
    '/complaints/{id}/events': {
      post: {
        operationId: 'postLifecycleEvent',
        summary: 'A lifecycle event from the people handling the complaint. Idempotent on `eventId`.',
        security: SIGNED,
        parameters: [complaintIdParameter],
        requestBody: { required: true, content: jsonContent('LifecycleEvent') },
        responses: {
          '200': answer('Applied (or applied before: `applied.duplicate`)', 'EventApplied'),
          '400': BAD_BODY,
          '404': answer('No such complaint'),
          '409': answer('The complaint does not accept this event now (`expected` lists what it accepts)'),
          ...COMMON_ERRORS,
        },
      },
    },
    '/complaints/{id}/links/{kind}': {
      get: {
        operationId: 'issueCustomerLink',
        summary: "A fresh short-lived link for a customer's notice (an SMS gateway asks when it sends; events carry only the kind)",
        security: SIGNED,
        parameters: [complaintIdParameter, pathParameter('kind', 'the link kind a notification event names (`link`)')],
        responses: {
          '200': answer('The link; never cached', 'IssuedLink'),
          '404': answer('No such complaint or link kind'),
          '409': answer('The survey is not open'),
          '403': COMMON_ERRORS['403'],
        },
      },
    },
  };
}

/** Pages for people: listed so the document covers every route; their bodies are HTML. */
function pagePaths(): Record<string, unknown> {
  const consolePage = (summary: string, parameters: unknown[] = []) => ({
    get: { summary, security: SIGNED, tags: ['pages'], parameters, responses: { '200': html('The page') } },
  });
  const tokenPage = (summary: string) => ({
    parameters: [pathParameter('token', 'the single-use token from the email (the credential)')],
    get: {
      summary,
      security: [],
      tags: ['pages'],
      responses: { '200': html('The form'), '404': html('Unknown link'), '410': html('Used, expired or closed link') },
    },
    post: {
      summary: `${summary}: the form's answer (application/x-www-form-urlencoded)`,
      security: [],
      tags: ['pages'],
      responses: { '200': html('Thank-you page'), '400': html('The form again, naming each field') },
    },
  });
  return {
    '/console': consolePage('The complaint console: open complaints and their clocks'),
    '/console/quality': consolePage('The quality view (H-36)'),
    '/console/workflow': consolePage('The workflow picture'),
    '/console/complaints/{id}': consolePage('One complaint in the console', [complaintIdParameter]),
    '/survey/{token}': tokenPage('The satisfaction survey (H-33)'),
    '/ack/{token}': tokenPage('Acknowledging an escalation'),
  };
}

/** The OpenAPI 3.1 document of the API. */
export function buildOpenApiDocument(): Record<string, unknown> {
  const schemas: Record<string, JsonSchema> = {};
  for (const body of REQUEST_BODIES) schemas[body.name] = requestJsonSchema(body.schema);
  for (const [name, schema] of Object.entries(ANSWERS)) schemas[name] = answerJsonSchema(schema);
  return {
    openapi: '3.1.1',
    info: {
      title: 'complaint-loop API',
      version: '1',
      description:
        'Complaints from upstream systems and lifecycle events from the people handling them, run through the closed loop of the 2025 telecom customer-service handbook. Every machine route is signed with AWS SigV4 (service execute-api).',
    },
    servers: [
      {
        url: 'https://{restApiId}.execute-api.{region}.{urlSuffix}/{stage}',
        description: "the stack's API (stage v1 unless the carrier set another)",
        variables: {
          restApiId: { default: 'abc123', description: "the RestApi id the stack's output names" },
          region: { default: 'cn-north-1' },
          urlSuffix: { default: 'amazonaws.com.cn', enum: ['amazonaws.com.cn', 'amazonaws.com'] },
          stage: { default: 'v1' },
        },
      },
    ],
    tags: [{ name: 'pages', description: 'HTML pages for people (console, survey, acknowledgement)' }],
    paths: { ...machinePaths(), ...pagePaths() },
    components: {
      schemas,
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          description: 'AWS Signature Version 4 (service execute-api) with IAM credentials allowed to invoke the route',
          'x-amazon-apigateway-authtype': 'awsSigv4',
        },
      },
    },
  };
}

// ---- API Gateway request models ----------------------------------------------------------

/** A request model for API Gateway: its name (alphanumeric), the route and its JSON Schema draft-04. */
export interface EdgeModel {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly schema: JsonSchema;
}

/** The models API Gateway checks request bodies against before any function runs. */
export function apiGatewayRequestModels(): EdgeModel[] {
  return REQUEST_BODIES.map(({ name, method, path, schema }) => ({ name, method, path, schema: edgeJsonSchema(schema) }));
}

/**
 * JSON Schema draft-04 (what API Gateway models take) that never refuses a body the handler accepts:
 * - `pattern` and `format` are dropped: zod's regexes are JavaScript's, API Gateway's validator is
 *   not, and zod trims some strings before matching them;
 * - `maxLength` is dropped where zod trims first (the raw string may be longer);
 * - a `oneOf` of objects (the lifecycle events, by `type`) becomes one object: the union of their
 *   properties, fields every variant requires, and a property's schema kept where the variants agree.
 * Types, required fields, enumerations and unknown fields are checked at the edge; the handler
 * checks the rest and names each failing field.
 */
export function edgeJsonSchema(schema: z.core.$ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-04',
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      delete jsonSchema.pattern;
      delete jsonSchema.format;
      const checks = (zodSchema._zod.def as { checks?: { _zod: { def: { check: string } } }[] }).checks ?? [];
      if (checks.some((c) => c._zod.def.check === 'overwrite')) delete jsonSchema.maxLength;
    },
  }) as JsonSchema;
  return Array.isArray(json.oneOf) ? { $schema: json.$schema, ...mergeObjectVariants(json.oneOf as JsonSchema[]) } : json;
}

function mergeObjectVariants(variants: readonly JsonSchema[]): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const variant of variants) {
    for (const [key, property] of Object.entries((variant.properties ?? {}) as Record<string, JsonSchema>)) {
      properties[key] = key in properties ? mergeProperty(properties[key]!, property) : property;
    }
  }
  const requiredBy = (v: JsonSchema) => new Set((v.required ?? []) as string[]);
  const required = [...requiredBy(variants[0]!)].filter((key) => variants.every((v) => requiredBy(v).has(key)));
  const closed = variants.every((v) => v.additionalProperties === false);
  return { type: 'object', properties, required, ...(closed ? { additionalProperties: false } : {}) };
}

function mergeProperty(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (a.type !== b.type) return {};
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) return { type: a.type, enum: [...new Set([...a.enum, ...b.enum])] };
  return { type: a.type };
}

// ---- the docs ----------------------------------------------------------------------------

/** Where each generated document goes, relative to the repository root, with its content. */
export function contractDocuments(): { path: string; json: unknown }[] {
  return [
    { path: 'docs/openapi.json', json: buildOpenApiDocument() },
    ...(Object.keys(PUBLISHED_EVENTS) as PublishedDetailType[]).map((detailType) => ({
      path: `docs/events/${eventSchemaFile(detailType)}`,
      json: eventJsonSchema(detailType),
    })),
  ];
}

export const CATALOGUE_BEGIN = '<!-- event-catalogue:begin (npm run docs:openapi writes this list) -->';
export const CATALOGUE_END = '<!-- event-catalogue:end -->';

/** The event catalogue as markdown: a table per detail-type, one row per kind. */
export function renderEventCatalogue(): string {
  const lines: string[] = [];
  for (const detailType of Object.keys(PUBLISHED_EVENTS) as PublishedDetailType[]) {
    lines.push(
      `**${detailType}** (source \`${EVENT_SOURCE}\`, schema \`${eventSchemaName(detailType)}\`, file [docs/events/${eventSchemaFile(detailType)}](events/${eventSchemaFile(detailType)})).`,
      `Every detail carries ${codeList(deliveryFields().always)}, and when they apply ${codeList(deliveryFields().whenTheyApply)}; by \`kind\`:`,
      '',
      '| kind | audience | also carries |',
      '| --- | --- | --- |',
    );
    for (const row of eventCatalogue().filter((r) => r.detailType === detailType)) {
      const fields = row.fields.length > 0 ? codeList(row.fields) : '(nothing else)';
      lines.push(`| \`${row.kind}\` | ${row.audience.join(', ')} | ${fields} |`);
    }
  }
  return lines.join('\n');
}

const codeList = (names: readonly string[]) => names.map((name) => `\`${name}\``).join(', ');

/** Replaces the text between the catalogue markers. */
export function withEventCatalogue(markdown: string): string {
  const begin = markdown.indexOf(CATALOGUE_BEGIN);
  const end = markdown.indexOf(CATALOGUE_END);
  if (begin < 0 || end < begin) throw new Error(`docs/integrations.md has no ${CATALOGUE_BEGIN} ... ${CATALOGUE_END} markers`);
  return `${markdown.slice(0, begin + CATALOGUE_BEGIN.length)}\n${renderEventCatalogue()}\n${markdown.slice(end)}`;
}

/** Writes docs/openapi.json, docs/events/*.json and the catalogue in docs/integrations.md. */
export function writeContractDocs(root: string): string[] {
  const written: string[] = [];
  for (const { path, json } of contractDocuments()) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${JSON.stringify(json, null, 2)}\n`);
    written.push(path);
  }
  const integrations = join(root, 'docs/integrations.md');
  writeFileSync(integrations, withEventCatalogue(readFileSync(integrations, 'utf8')));
  written.push('docs/integrations.md');
  return written;
}

if (require.main === module) {
  for (const path of writeContractDocs(process.cwd())) process.stdout.write(`wrote ${path}\n`);
}
