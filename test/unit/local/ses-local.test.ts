/**
 * The local SES's sandbox mode answers a send to an unverified recipient the way SES v2 does in a
 * new account (HTTP 400, MessageRejected, the identities named), through the real SDK client.
 */

import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SesLocal, startSesLocal, unverifiedRecipients } from '../../../local/services/ses-local';

let ses: SesLocal;
let client: SESv2Client;

beforeAll(async () => {
  ses = await startSesLocal({ port: 0 });
  client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await ses?.stop();
});

const send = (to: string[]) =>
  client.send(
    new SendEmailCommand({
      FromEmailAddress: 'complaints@example.com',
      Destination: { ToAddresses: to },
      Content: { Simple: { Subject: { Data: `sandbox ${to.join(',')}` }, Body: { Text: { Data: 'hello' } } } },
    }),
  );

describe('local SES sandbox mode', () => {
  it('delivers to anyone when off', async () => {
    await send(['anyone@example.net']);
    expect((await ses.emails()).map((m) => m.subject)).toContain('sandbox anyone@example.net');
  });

  it('fails with MessageRejected (HTTP 400) naming the unverified recipients, and captures nothing', async () => {
    ses.setSandbox({ verified: ['ops@example.com', 'carrier.example'] });
    try {
      const error = (await send(['ops@example.com', 'customer@example.net']).catch((e: unknown) => e)) as Error & {
        $metadata: { httpStatusCode: number };
      };
      expect(error.name).toBe('MessageRejected');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        'Email address is not verified. The following identities failed the check in region US-EAST-1: customer@example.net',
      );
      expect((await ses.emails()).map((m) => m.subject)).not.toContain('sandbox ops@example.com,customer@example.net');
      // Verified addresses and addresses under a verified domain are delivered.
      await send(['ops@example.com', 'Supervisor@Carrier.example']);
      expect((await ses.emails()).map((m) => m.subject)).toContain('sandbox ops@example.com,Supervisor@Carrier.example');
    } finally {
      ses.setSandbox(undefined);
    }
  });

  it('checks To, Cc and Bcc', () => {
    expect(
      unverifiedRecipients(
        { Destination: { ToAddresses: ['a@ok.example'], CcAddresses: ['b@x.example'], BccAddresses: ['c@ok.example'] } },
        ['ok.example'],
      ),
    ).toEqual(['b@x.example']);
  });
});
