/** Fixture workflow task: emails and publishes an event naming the thing and the engine's "now". */

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

const SENDER = process.env.SENDER_ADDRESS!;
const BUS = process.env.EVENT_BUS_NAME!;
const BASE = process.env.PUBLIC_BASE_URL!;
const ses = new SESv2Client({});
const events = new EventBridgeClient({});

export async function handler(event: { thingId: string; now: string }): Promise<{ mailed: string; at: string; link: string }> {
  const link = `${BASE}things/${event.thingId}`;
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: SENDER,
      Destination: { ToAddresses: ['supervisor@example.com'] },
      Content: { Simple: { Subject: { Data: `Escalation ${event.thingId}` }, Body: { Text: { Data: `at ${event.now}: ${link}` } } } },
    }),
  );
  await events.send(
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
