/** Create the template's tables in DynamoDB Local and its state machines in the engine (idempotent). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { Engine } from '../engine/index';
import type { LocalStateMachine, LocalTable } from './template';

export interface ProvisionReport {
  created: string[];
  existing: string[];
  updated: string[];
  warnings: string[];
}

export async function provisionTables(client: DynamoDBClient, tables: LocalTable[], report: ProvisionReport): Promise<void> {
  for (const t of tables) {
    const name = t.createTable.TableName!;
    let exists = true;
    try {
      const d = await client.send(new DescribeTableCommand({ TableName: name }));
      const want = (t.createTable.GlobalSecondaryIndexes ?? [])
        .map((g) => g.IndexName)
        .sort()
        .join(',');
      const have = (d.Table?.GlobalSecondaryIndexes ?? [])
        .map((g) => g.IndexName)
        .sort()
        .join(',');
      if (want !== have)
        report.warnings.push(
          `table ${name} exists with indexes [${have}] but the template has [${want}]: start with --fresh to recreate it`,
        );
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      exists = false;
    }
    if (!exists) {
      await client.send(new CreateTableCommand(t.createTable));
      report.created.push(`table ${name}`);
    } else report.existing.push(`table ${name}`);
    if (t.ttlAttribute) {
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: name }));
      if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
        await client.send(
          new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true } }),
        );
      }
    }
  }
}

export async function provisionStateMachines(engine: Engine, machines: LocalStateMachine[], report: ProvisionReport): Promise<void> {
  for (const m of machines) {
    let current: Record<string, unknown> | undefined;
    try {
      current = await engine.describeStateMachine({ stateMachineArn: m.arn });
    } catch (err) {
      if ((err as Error).name !== 'StateMachineDoesNotExist') throw err;
    }
    if (!current) {
      const out = await engine.createStateMachine({ name: m.name, definition: m.definition, roleArn: m.roleArn, type: m.type });
      if (out.stateMachineArn !== m.arn) {
        throw new Error(`engine named state machine ${m.name} ${out.stateMachineArn}, but the functions were configured with ${m.arn}`);
      }
      report.created.push(`state machine ${m.name}`);
    } else if (current.definition !== m.definition) {
      // Running executions keep the definition they started with, as on AWS.
      await engine.updateStateMachine({ stateMachineArn: m.arn, definition: m.definition });
      report.updated.push(`state machine ${m.name}`);
    } else report.existing.push(`state machine ${m.name}`);
  }
}
