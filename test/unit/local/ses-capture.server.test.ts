/**
 * The local SES capture kept in the data dir: emails sent before a restart, with their links, are
 * still on the emails page and in GET /store afterwards.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { type SesLocal, startSesLocal } from '../../../local/services/ses-local';

async function send(ses: SesLocal, subject: string, text: string): Promise<void> {
  const client = new SESv2Client({
    endpoint: ses.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(
      new SendEmailCommand({
        FromEmailAddress: 'complaints@example.com',
        Destination: { ToAddresses: ['wang.fang@example.net'] },
        Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: text } } } },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** The package's store is per process: empty it, as a new `npm start` process starts. */
function forgetInMemory(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const store = require('aws-ses-v2-local/dist/store') as { getStoreReadonly: () => { emails: unknown[] } };
  store.getStoreReadonly().emails.length = 0;
}

describe('local SES capture in the data dir', () => {
  it('keeps the emails across a restart on the same data file', async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ses-capture-')), 'ses-emails.json');
    let ses = await startSesLocal({ dataFile });
    await send(ses, 'Survey c-1', 'http://127.0.0.1:3000/survey/tok-1');
    await ses.stop();
    forgetInMemory();

    ses = await startSesLocal({ dataFile });
    try {
      await send(ses, 'Escalation c-2', 'http://127.0.0.1:3000/ack/tok-2');
      const emails = await ses.emails();
      expect(emails.map((e) => e.subject)).toEqual(['Survey c-1', 'Escalation c-2']);
      expect(emails[0].body.text).toBe('http://127.0.0.1:3000/survey/tok-1');
    } finally {
      await ses.stop();
    }
    // Both are in the file once stopped.
    const saved = JSON.parse(fs.readFileSync(dataFile, 'utf8')) as { emails: { subject: string }[] };
    expect(saved.emails.map((e) => e.subject)).toEqual(['Survey c-1', 'Escalation c-2']);
  });

  it('keeps a cleared store cleared', async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ses-capture-')), 'ses-emails.json');
    let ses = await startSesLocal({ dataFile });
    await send(ses, 'Survey c-3', 'http://127.0.0.1:3000/survey/tok-3');
    expect((await fetch(`${ses.endpoint}/clear-store`, { method: 'POST' })).ok).toBe(true);
    await ses.stop();
    forgetInMemory();
    ses = await startSesLocal({ dataFile });
    try {
      expect(await ses.emails()).toEqual([]);
    } finally {
      await ses.stop();
    }
  });

  it('starts empty from a data file that is not JSON', async () => {
    const dataFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ses-capture-')), 'ses-emails.json');
    fs.writeFileSync(dataFile, '{torn');
    const ses = await startSesLocal({ dataFile });
    try {
      expect(await ses.emails()).toEqual([]);
    } finally {
      await ses.stop();
    }
  });
});
