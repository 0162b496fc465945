/**
 * Command-line flags for every CLI of the project (npm start, the demo, the SLA and analysis tools,
 * the benchmarks): `node:util` parseArgs in strict mode, with errors that name the flag at fault
 * and list the accepted ones.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export class FlagError extends Error {
  override readonly name = 'FlagError';
}

export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

type Parsed<O extends FlagOptions, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: P }>
>;

/** Parses `argv` against `options`; positionals are refused unless `allowPositionals`. */
export function parseFlags<O extends FlagOptions, P extends boolean = false>(
  argv: readonly string[],
  options: O,
  allowPositionals?: P,
): Parsed<O, P> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: (allowPositionals ?? false) as P });
  } catch (err) {
    throw new FlagError(describeFlagError(err, options));
  }
}

/** The accepted flags, as a user types them. */
export function acceptedFlags(options: FlagOptions): string {
  const names = Object.entries(options).map(([name, o]) => (o.short ? `--${name} (-${o.short})` : `--${name}`));
  return names.length ? names.join(', ') : 'none';
}

function describeFlagError(err: unknown, options: FlagOptions): string {
  const { code, message } = err as { code?: string; message: string };
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const flag = quoted.split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag '${flag}'; accepted: ${acceptedFlags(options)}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${flag}'; accepted flags: ${acceptedFlags(options)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const takesValue = options[flag.replace(/^-+/, '')]?.type === 'string';
      return takesValue ? `${flag} needs a value` : `${flag} takes no value`;
    }
    default:
      return message;
  }
}

/** For a command's entry point: the parsed flags, or the error (and usage) on stderr and exit code 2. */
export function parseFlagsOrExit<O extends FlagOptions, P extends boolean = false>(
  command: string,
  argv: readonly string[],
  options: O,
  allowPositionals?: P,
  usage?: string,
): Parsed<O, P> {
  try {
    return parseFlags(argv, options, allowPositionals);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`${command}: ${err.message}\n${usage ? `\n${usage}\n` : ''}`);
    process.exit(2);
  }
}
