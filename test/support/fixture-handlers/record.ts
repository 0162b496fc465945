/** Fixture API handler: POST /things records a thing and starts an execution; GET /things/{id} reads it. */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

// Read at module load, as the project's handlers do.
const TABLE_NAME = process.env.TABLE_NAME!;
const STATE_MACHINE_ARN = process.env.STATE_MACHINE_ARN!;
const SERVICE_NAME = process.env.POWERTOOLS_SERVICE_NAME;
const dynamo = new DynamoDBClient({});
const sfn = new SFNClient({});

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  if (event.httpMethod === 'GET') {
    const id = event.pathParameters!.id!;
    const got = await dynamo.send(new GetItemCommand({ TableName: TABLE_NAME, Key: { pk: { S: id }, sk: { S: 'META' } } }));
    if (!got.Item) return { statusCode: 404, body: JSON.stringify({ message: 'not found' }) };
    return { statusCode: 200, body: JSON.stringify({ id, receivedAt: got.Item.receivedAt.S, serviceName: SERVICE_NAME }) };
  }
  const body = JSON.parse(event.body ?? '{}') as { id: string };
  const receivedAt = new Date(event.requestContext.requestTimeEpoch).toISOString();
  await dynamo.send(
    new PutItemCommand({ TableName: TABLE_NAME, Item: { pk: { S: body.id }, sk: { S: 'META' }, receivedAt: { S: receivedAt } } }),
  );
  const started = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: STATE_MACHINE_ARN, name: body.id, input: JSON.stringify({ thingId: body.id }) }),
  );
  return {
    statusCode: 202,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id: body.id, receivedAt, executionArn: started.executionArn }),
  };
}
