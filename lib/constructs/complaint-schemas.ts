/**
 * The events complaint-loop publishes, in an EventBridge schema registry of its own: one
 * JSONSchemaDraft4 schema per detail-type, generated from the zod schemas the publisher's types
 * derive from (functions/contract/events.ts), so subscribers can fetch them and generate code
 * bindings. Each deploy that changes a schema adds a version to it.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-schema-registry.html
 */
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as eventschemas from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { eventJsonSchema, eventSchemaName, PUBLISHED_EVENTS, type PublishedDetailType } from '../../functions/contract/events';

/** The Schemas API refuses content longer than this (CreateSchema, Content). */
export const MAX_SCHEMA_CONTENT_LENGTH = 100_000;

export class ComplaintSchemas extends Construct {
  readonly registry: eventschemas.CfnRegistry;
  readonly schemas: Readonly<Record<PublishedDetailType, eventschemas.CfnSchema>>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    this.registry = new eventschemas.CfnRegistry(this, 'Registry', {
      registryName: `${stackName}-events`,
      description: `complaint-loop events (${stackName}): notifications for SMS gateways and other subscribers, without personal data`,
    });
    const detailTypes = Object.keys(PUBLISHED_EVENTS) as PublishedDetailType[];
    this.schemas = Object.fromEntries(detailTypes.map((detailType) => [detailType, this.publish(detailType)])) as Record<
      PublishedDetailType,
      eventschemas.CfnSchema
    >;
    new CfnOutput(this, 'RegistryName', {
      description: 'EventBridge schema registry holding the schemas of the events on the notification bus',
      value: this.registry.attrRegistryName,
    });
  }

  private publish(detailType: PublishedDetailType): eventschemas.CfnSchema {
    const content = JSON.stringify(eventJsonSchema(detailType));
    if (content.length > MAX_SCHEMA_CONTENT_LENGTH) {
      throw new Error(`The ${detailType} schema is ${content.length} characters; the registry takes ${MAX_SCHEMA_CONTENT_LENGTH} at most`);
    }
    return new eventschemas.CfnSchema(this, eventSchemaName(detailType).replace(/[^A-Za-z0-9]/g, ''), {
      registryName: this.registry.attrRegistryName,
      schemaName: eventSchemaName(detailType),
      type: 'JSONSchemaDraft4',
      content,
      description: `${detailType} events (detail-type "${detailType}")`,
    });
  }
}
