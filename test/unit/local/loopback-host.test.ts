import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../local/engine/index';

describe('isLoopbackHost (DNS rebinding guard of the local API and engine)', () => {
  it('accepts the loopback names, with or without a port', () => {
    for (const host of ['127.0.0.1', '127.0.0.1:3000', 'localhost', 'LOCALHOST:3001', '[::1]', '[::1]:3000']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('fails for any other name, a name that only starts like a loopback one, and a missing Host', () => {
    for (const host of [
      'rebound.example',
      'rebound.example:3000',
      'localhost.rebound.example',
      '127.0.0.1.nip.io',
      '127.0.0.2',
      '192.0.2.2:3000',
      '',
      undefined,
    ]) {
      expect(isLoopbackHost(host), String(host)).toBe(false);
    }
  });
});
