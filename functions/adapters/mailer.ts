/** Mailer: SESv2 SendEmail with Simple content (text + HTML, UTF-8 for Chinese). */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Email, MailSender } from '../app/ports';
import { ses } from './clients';

export class Mailer implements MailSender {
  private readonly client: SESv2Client;
  constructor(
    private readonly from: string,
    client?: SESv2Client,
  ) {
    this.client = client ?? ses();
  }

  /** Sends one email; answers the SES message id. */
  async send(email: Email): Promise<string> {
    if (email.to.length === 0) throw new Error('Mailer.send: no recipient');
    const out = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [...email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: email.text, Charset: 'UTF-8' },
              Html: { Data: email.html, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    return out.MessageId ?? '';
  }
}
