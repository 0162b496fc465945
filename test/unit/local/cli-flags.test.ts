import { describe, expect, it } from 'vitest';
import { FlagError, parseStartFlags } from '../../../local/cli-flags';

describe('npm start flags', () => {
  it('has the documented defaults', () => {
    expect(parseStartFlags([])).toEqual({
      port: 3000,
      timeScale: 1,
      fresh: false,
      inMemory: false,
      sesSandbox: false,
      sesVerify: [],
      help: false,
    });
  });
  it('parses every flag, with a space or =', () => {
    expect(parseStartFlags(['--port', '4000', '--time-scale=3600', '--data-dir', '/tmp/x', '--fresh'])).toEqual({
      port: 4000,
      timeScale: 3600,
      dataDir: '/tmp/x',
      fresh: true,
      inMemory: false,
      sesSandbox: false,
      sesVerify: [],
      help: false,
    });
    expect(parseStartFlags(['--time-scale', '0.5']).timeScale).toBe(0.5);
    expect(parseStartFlags(['--in-memory']).inMemory).toBe(true);
  });
  it('turns the local SES sandbox on, with more verified addresses and domains', () => {
    expect(parseStartFlags(['--ses-sandbox'])).toMatchObject({ sesSandbox: true, sesVerify: [] });
    expect(parseStartFlags(['--ses-sandbox', '--ses-verify', 'a@b.example, example.org', '--ses-verify=c@d.example'])).toMatchObject({
      sesSandbox: true,
      sesVerify: ['a@b.example', 'example.org', 'c@d.example'],
    });
  });
  it('reads --start-at as an instant, with its offset', () => {
    expect(parseStartFlags(['--start-at', '2026-09-30T16:00:00+08:00']).startAt).toBe(Date.UTC(2026, 8, 30, 8, 0, 0));
    expect(parseStartFlags(['--start-at=2026-09-30T08:00Z']).startAt).toBe(Date.UTC(2026, 8, 30, 8, 0, 0));
  });
  it.each([
    [['--port', 'abc'], /--port expects an integer/],
    [['--port', '70000'], /--port expects an integer/],
    [['--time-scale', '0'], /--time-scale expects a positive number/],
    [['--time-scale', '-5'], /--time-scale needs a value|--time-scale expects/],
    [['--time-scale'], /--time-scale needs a value/],
    [['--fresh=yes'], /--fresh takes no value/],
    [['--verbose'], /unknown flag '--verbose'; accepted: --port, --time-scale, --data-dir, --start-at, --fresh, --in-memory/],
    [['extra'], /unexpected argument 'extra'; accepted flags: --port/],
    [['--in-memory', '--fresh'], /--in-memory keeps nothing on disk: drop --data-dir and --fresh/],
    [['--in-memory=1'], /--in-memory takes no value/],
    [['--ses-sandbox=1'], /--ses-sandbox takes no value/],
    [['--ses-verify', 'a@b.example'], /--ses-verify only applies with --ses-sandbox/],
    [['--ses-sandbox', '--ses-verify', 'not an address'], /--ses-verify expects email addresses or domains/],
    [
      ['--start-at', '2026-09-30T16:00:00'],
      /--start-at expects an ISO 8601 time with its offset, e.g. 2026-09-30T16:00:00\+08:00, got '2026-09-30T16:00:00'/,
    ],
    [['--start-at', '2026-02-30T16:00:00Z'], /--start-at expects an ISO 8601 time/],
    [['--start-at', 'tomorrow'], /--start-at expects an ISO 8601 time/],
    [['--start-at'], /--start-at needs a value/],
  ])('fails %j with a message naming the flag', (argv, message) => {
    expect(() => parseStartFlags(argv)).toThrow(FlagError);
    expect(() => parseStartFlags(argv)).toThrow(message);
  });
});
