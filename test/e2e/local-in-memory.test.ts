/**
 * `npm start -- --in-memory`: nothing on disk, nothing left after a stop. Its own file: handler
 * modules (and their SDK clients' endpoints) stay loaded per test file.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/engine/index';
import { startLocalStack } from '../../local/local-stack';
import { signedFetch } from '../../local/signed-fetch';
import { fixtureTemplate } from '../support/fixture-template';

const START = Date.UTC(2026, 2, 2, 1, 0, 0);

describe('startLocalStack --in-memory', () => {
  it('writes nothing to disk and starts empty again after a restart', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'local-in-memory-'));
    const dataDir = path.join(parent, 'never-created');
    const start = () =>
      startLocalStack({
        port: 0,
        dataDir,
        inMemory: true,
        clock: new VirtualClock(START),
        template: fixtureTemplate(),
        log: () => undefined,
      });
    let stack = await start();
    try {
      expect(stack.provisioned.created).toEqual(['table DataTable1A2B3C4D', 'state machine LoopStateMachineBBBB2222']);
      const res = await signedFetch(`${stack.urls.api}/things`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'thing-3' }),
      });
      expect(res.status).toBe(202);
      expect((await fetch(`${stack.urls.api}/things/thing-3`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
    expect(fs.existsSync(dataDir)).toBe(false);
    stack = await start();
    try {
      // Created again, not found: nothing survived the stop.
      expect(stack.provisioned.created).toEqual(['table DataTable1A2B3C4D', 'state machine LoopStateMachineBBBB2222']);
    } finally {
      await stack.stop();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
