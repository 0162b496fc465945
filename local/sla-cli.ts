/**
 * `npm run sla -- preview [--policy policy.json] < timeline.json`
 *
 * The deadline preview without a stack (docs/sla-preview.md): reads a complaint's timeline as JSON
 * on stdin and prints every clock's start, stop, deadline, warnings, escalations and status as JSON
 * on stdout. Exit codes: 0 previewed; 2 bad input (the message on stderr names the field); 1 a
 * failure of the tool itself.
 */
import { readFileSync } from 'node:fs';
import { SlaPolicyError } from '../functions/domain/errors';
import { PreviewInputError, previewTimeline } from '../functions/domain/preview';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy, type SlaPolicy } from '../functions/domain/sla-policy';
import { parseFlags } from './flags';

export const USAGE = `usage: npm run sla -- preview [--policy <overrides.json>] < timeline.json

  preview          read a timeline (JSON) on stdin, print each clock's deadlines (JSON) on stdout
  --policy FILE    SLA policy overrides, as in the SLA_POLICY setting (default: the handbook policy)
  --help           this text

Input and output: docs/sla-preview.md`;

/** Bad input: the message names what was wrong. Exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface SlaCliOptions {
  readonly command: 'preview' | 'help';
  readonly policyFile?: string;
}

export function parseSlaArgs(argv: readonly string[]): SlaCliOptions {
  const options = { policy: { type: 'string' }, help: { type: 'boolean' } } as const;
  let parsed: ReturnType<typeof parseFlags<typeof options, true>>;
  try {
    parsed = parseFlags(argv, options, true);
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.values.help) return { command: 'help' };
  const [command, ...rest] = parsed.positionals;
  if (command !== 'preview' || rest.length)
    throw new InputError(`unknown command '${[command, ...rest].join(' ')}': expected 'preview'\n${USAGE}`);
  return { command, ...(parsed.values.policy ? { policyFile: parsed.values.policy } : {}) };
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} is not JSON: ${(error as Error).message}`);
  }
}

function loadPolicy(file: string | undefined): SlaPolicy {
  if (!file) return DEFAULT_SLA_POLICY;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--policy: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return resolveSlaPolicy(readJson(text, `--policy ${file}`));
  } catch (error) {
    if (error instanceof SlaPolicyError)
      throw new InputError(`--policy ${file}: ${error.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    throw error;
  }
}

/** Runs the CLI on `argv` with `stdin`'s text: the exit code and what goes to stdout and stderr. */
export function runSlaCli(argv: readonly string[], stdin: () => string): { code: number; stdout: string; stderr: string } {
  try {
    const options = parseSlaArgs(argv);
    if (options.command === 'help') return { code: 0, stdout: `${USAGE}\n`, stderr: '' };
    const policy = loadPolicy(options.policyFile);
    const preview = previewTimeline(readJson(stdin(), 'the timeline on stdin'), policy);
    return { code: 0, stdout: `${JSON.stringify(preview, null, 2)}\n`, stderr: '' };
  } catch (error) {
    if (error instanceof PreviewInputError) {
      return { code: 2, stdout: '', stderr: `invalid timeline:\n${error.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}\n` };
    }
    if (error instanceof InputError) return { code: 2, stdout: '', stderr: `${error.message}\n` };
    return { code: 1, stdout: '', stderr: `sla: ${(error as Error).stack ?? String(error)}\n` };
  }
}

if (require.main === module) {
  const result = runSlaCli(process.argv.slice(2), () => readFileSync(0, 'utf8'));
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}
