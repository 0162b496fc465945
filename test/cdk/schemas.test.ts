/**
 * The published contracts in the stack: API Gateway request models generated from the handlers'
 * zod schemas, attached to the POST methods with a validator that checks bodies, and the event
 * schemas in an EventBridge schema registry.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_SOURCE, eventJsonSchema, NOTIFICATION_DETAIL_TYPE } from '../../functions/contract/events';
import { apiGatewayRequestModels } from '../../functions/contract/openapi';
import { MAX_SCHEMA_CONTENT_LENGTH } from '../../lib/constructs/complaint-schemas';
import { CARRIER_SETTINGS, resourcesOfType, synthStack } from './support/synth';

const { template } = synthStack({ settings: CARRIER_SETTINGS });

/** The logical id of the method serving `verb path` (resource paths are built from AWS::ApiGateway::Resource parts). */
function methodFor(verb: string, path: string): { id: string; properties: Record<string, any> } {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: any): string => {
    const id = ref?.Ref as string | undefined;
    const resource = id ? resources[id] : undefined;
    if (!resource) return '';
    return `${pathOf(resource.Properties!.ParentId)}/${resource.Properties!.PathPart}`;
  };
  const found = Object.entries(resourcesOfType(template, 'AWS::ApiGateway::Method')).filter(
    ([, m]) => m.Properties!.HttpMethod === verb && pathOf(m.Properties!.ResourceId) === path,
  );
  expect(found, `${verb} ${path}`).toHaveLength(1);
  return { id: found[0]![0], properties: found[0]![1].Properties! };
}

describe('API Gateway request models', { timeout: 180_000 }, () => {
  const models = resourcesOfType(template, 'AWS::ApiGateway::Model');

  it.each(apiGatewayRequestModels().map((m) => [`${m.method} ${m.path}`, m] as const))(
    '%s has the generated draft-04 model and a validator that checks bodies',
    (_, edge) => {
      const [modelId, model] = Object.entries(models).find(([, m]) => m.Properties!.Name === edge.name) ?? [];
      expect(modelId, edge.name).toBeDefined();
      expect(model!.Properties!.ContentType).toBe('application/json');
      expect(model!.Properties!.Schema).toEqual(edge.schema);
      expect(model!.Properties!.Schema.$schema).toBe('http://json-schema.org/draft-04/schema#');

      const method = methodFor(edge.method, edge.path);
      expect(method.properties.RequestModels).toEqual({ 'application/json': { Ref: modelId } });
      const validatorId = method.properties.RequestValidatorId.Ref as string;
      expect(resourcesOfType(template, 'AWS::ApiGateway::RequestValidator')[validatorId]!.Properties).toMatchObject({
        ValidateRequestBody: true,
      });
    },
  );

  it('the edge models keep what draft-04 and API Gateway check the same way as zod, and nothing stricter', () => {
    for (const { schema } of apiGatewayRequestModels()) {
      const text = JSON.stringify(schema);
      expect(text).not.toMatch(/"(pattern|format|oneOf|anyOf|const|\$ref)"/);
      expect(schema.additionalProperties).toBe(false);
    }
    const [intake, event] = apiGatewayRequestModels();
    expect(intake!.schema.required).toEqual(['customerId', 'contact', 'channel', 'source', 'serviceType', 'description', 'occurredAt']);
    // The lifecycle events become one object: the fields all of them need, every type, every field of any.
    expect(event!.schema.required).toEqual(['eventId', 'actor', 'type']);
    expect((event!.schema.properties as any).type.enum).toContain('reclassified');
    expect(Object.keys(event!.schema.properties as object)).toEqual(expect.arrayContaining(['resolution', 'attribution', 'measure']));
  });

  it('the deployment waits for the models', () => {
    const deployments = Object.values(resourcesOfType(template, 'AWS::ApiGateway::Deployment')) as { DependsOn?: string[] }[];
    expect(deployments).toHaveLength(1);
    for (const modelId of Object.keys(models)) expect(deployments[0]!.DependsOn).toContain(modelId);
  });
});

describe('EventBridge schema registry', { timeout: 180_000 }, () => {
  it('publishes each detail-type as a JSONSchemaDraft4 schema named source@DetailType in its own registry', () => {
    const registries = resourcesOfType(template, 'AWS::EventSchemas::Registry');
    expect(Object.keys(registries)).toHaveLength(1);
    const [registryId] = Object.keys(registries);
    expect(registries[registryId!]!.Properties!.RegistryName).toBe('ComplaintLoop-events');

    template.hasResourceProperties('AWS::EventSchemas::Schema', {
      RegistryName: { 'Fn::GetAtt': [registryId, 'RegistryName'] },
      SchemaName: `${EVENT_SOURCE}@ComplaintNotification`,
      Type: 'JSONSchemaDraft4',
      Content: JSON.stringify(eventJsonSchema(NOTIFICATION_DETAIL_TYPE)),
    });
    template.hasOutput('*', {
      Value: { 'Fn::GetAtt': [registryId, 'RegistryName'] },
      Description: Match.stringLikeRegexp('schema registry'),
    });
  });

  it('each schema fits the registry and describes the whole event, detail-type and source fixed', () => {
    for (const schema of Object.values(resourcesOfType(template, 'AWS::EventSchemas::Schema'))) {
      const content = schema.Properties!.Content as string;
      expect(content.length).toBeLessThan(MAX_SCHEMA_CONTENT_LENGTH);
      const parsed = JSON.parse(content);
      expect(parsed.$schema).toBe('http://json-schema.org/draft-04/schema#');
      expect(parsed.properties['detail-type'].enum).toEqual([NOTIFICATION_DETAIL_TYPE]);
      expect(parsed.properties.source.enum).toEqual([EVENT_SOURCE]);
      expect(parsed.required).toEqual(expect.arrayContaining(['detail-type', 'source', 'detail']));
    }
  });
});
