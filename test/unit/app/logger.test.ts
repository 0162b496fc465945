import { describe, expect, it } from 'vitest';
import { errorSummary, redactError } from '../../../functions/app/runtime/logger';

/** SES's sandbox rejection names the recipient (12.6). */
const rejection = () => {
  const e = new Error('Email address is not verified. The following identities failed the check in region US-EAST-1: li.lei@example.com');
  e.name = 'MessageRejected';
  return Object.assign(e, { $metadata: { httpStatusCode: 400 } });
};

describe('errors without personal data (H-42, 12.6)', () => {
  it('errorSummary masks the address an SES error names', () => {
    expect(errorSummary(rejection())).toEqual({
      errorName: 'MessageRejected',
      errorMessage: 'Email address is not verified. The following identities failed the check in region US-EAST-1: l***@example.com',
    });
    expect(errorSummary('call 13812345678').errorMessage).toBe('call 138****5678');
  });

  it('redactError masks message and stack in place, keeping name and metadata for the retry decision', () => {
    const e = rejection();
    expect(redactError(e)).toBe(e);
    expect(`${e.message}\n${e.stack}`).not.toContain('li.lei@example.com');
    expect(e.stack).toContain('l***@example.com');
    expect(e.name).toBe('MessageRejected');
    expect(e.$metadata.httpStatusCode).toBe(400);
  });
});
