/** Fixture workflow task: emails and publishes an event naming the thing and the engine's "now". */

import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { eventBridge, ses } from '../../../functions/adapters/clients';
import { requireEnv } from '../../../functions/config';

// Read at module load, as the project's handlers do, through the same environment lookup and clients.
const SENDER = requireEnv('SENDER_ADDRESS');
const BUS = requireEnv('EVENT_BUS_NAME');
const BASE = requireEnv('PUBLIC_BASE_URL');

export async function handler(event: { thingId: string; now: string }): Promise<{ mailed: string; at: string; link: string }> {
  const link = `${BASE}things/${event.thingId}`;
  await ses().send(
    new SendEmailCommand({
      FromEmailAddress: SENDER,
      Destination: { ToAddresses: ['supervisor@example.com'] },
      Content: { Simple: { Subject: { Data: `Escalation ${event.thingId}` }, Body: { Text: { Data: `at ${event.now}: ${link}` } } } },
    }),
  );
  await eventBridge().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: BUS,
          Source: 'fixture',
          DetailType: 'Mailed',
          Detail: JSON.stringify({ thingId: event.thingId }),
          Time: new Date(event.now),
        },
      ],
    }),
  );
  return { mailed: event.thingId, at: event.now, link };
}
