/**
 * SDK clients, reused across invocations. On Lambda: one set per process with the SDK's default
 * config, so region, credentials and endpoints come from the process's environment. In the local
 * runtime: one set per function, configured from that function's own variables (env-scope.ts),
 * where AWS_ENDPOINT_URL_<SERVICE> points each client at the local service.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FunctionEnvironment, scopedEnvironment } from '../env-scope';

interface Clients {
  dynamo?: DynamoDBDocumentClient;
  sfn?: SFNClient;
  ses?: SESv2Client;
  eventBridge?: EventBridgeClient;
  sqs?: SQSClient;
}

interface ClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const processClients: Clients = {};
const functionClients = new WeakMap<FunctionEnvironment, Clients>();

function currentClients(): Clients {
  const scoped = scopedEnvironment();
  if (!scoped) return processClients;
  let clients = functionClients.get(scoped);
  if (!clients) functionClients.set(scoped, (clients = {}));
  return clients;
}

/** What the SDK would read from the environment, read from the function's scope instead. */
function configFor(endpointVariable: string): ClientConfig {
  const scoped = scopedEnvironment();
  if (!scoped) return {};
  const { AWS_REGION: region, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = scoped;
  const endpoint = scoped[endpointVariable] ?? scoped.AWS_ENDPOINT_URL;
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(scoped.AWS_SESSION_TOKEN ? { sessionToken: scoped.AWS_SESSION_TOKEN } : {}) } }
      : {}),
  };
}

// Created on first use: a handler only builds the clients it needs.
export function dynamo(): DynamoDBDocumentClient {
  const clients = currentClients();
  clients.dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient(configFor('AWS_ENDPOINT_URL_DYNAMODB')), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return clients.dynamo;
}

export function sfn(): SFNClient {
  const clients = currentClients();
  clients.sfn ??= new SFNClient(configFor('AWS_ENDPOINT_URL_SFN'));
  return clients.sfn;
}

export function ses(): SESv2Client {
  const clients = currentClients();
  clients.ses ??= new SESv2Client(configFor('AWS_ENDPOINT_URL_SESV2'));
  return clients.ses;
}

export function eventBridge(): EventBridgeClient {
  const clients = currentClients();
  clients.eventBridge ??= new EventBridgeClient(configFor('AWS_ENDPOINT_URL_EVENTBRIDGE'));
  return clients.eventBridge;
}

export function sqs(): SQSClient {
  const clients = currentClients();
  clients.sqs ??= new SQSClient(configFor('AWS_ENDPOINT_URL_SQS'));
  return clients.sqs;
}
