/** Fixture API handler: POST /things records a thing and starts an execution; GET /things/{id} reads it. */
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { dynamo, sfn } from '../../../functions/adapters/clients';
import { optionalEnv, requireEnv } from '../../../functions/config';

// Read at module load, as the project's handlers do, through the same environment lookup and clients.
const TABLE_NAME = requireEnv('TABLE_NAME');
const STATE_MACHINE_ARN = requireEnv('STATE_MACHINE_ARN');
const SERVICE_NAME = optionalEnv('POWERTOOLS_SERVICE_NAME', '');

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  if (event.httpMethod === 'GET') {
    const id = event.pathParameters!.id!;
    const got = await dynamo().send(new GetCommand({ TableName: TABLE_NAME, Key: { pk: id, sk: 'META' } }));
    if (!got.Item) return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
    return { statusCode: 200, body: JSON.stringify({ id, receivedAt: got.Item.receivedAt, serviceName: SERVICE_NAME }) };
  }
  const body = JSON.parse(event.body ?? '{}') as { id: string };
  const receivedAt = new Date(event.requestContext.requestTimeEpoch).toISOString();
  await dynamo().send(new PutCommand({ TableName: TABLE_NAME, Item: { pk: body.id, sk: 'META', receivedAt } }));
  const started = await sfn().send(
    new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: body.id, input: JSON.stringify({ thingId: body.id }) }),
  );
  return {
    statusCode: 202,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: body.id, receivedAt, executionArn: started.executionArn }),
  };
}
