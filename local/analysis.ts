/**
 * `npm run analysis -- --year 2026 [--endpoint URL | --data-dir DIR] [--table NAME] [--out DIR] [--only a,b]`
 *
 * The yearly complaint analysis (H-36) on this machine (docs/analysis.md): exports the complaints
 * of the local DynamoDB table as analysis records (JSON lines), runs the shared SQL files
 * (analysis/sql) on DuckDB over them, prints each answer as a table and writes it as CSV.
 *
 * Where the table is: `--endpoint` names a running DynamoDB Local (`npm start` prints it; without
 * flags the default one, port 3002, is tried first). With no stack running, `--data-dir` (default
 * .local-data) starts DynamoDB Local over that data directory for the export and stops it after.
 * Exit codes: 0 done; 2 bad input (the message names the flag); 1 a failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { runAnalysisQueries, toCsv, toTextTable } from './analysis-duckdb';
import { AnalysisExportError, findComplaintTable, scanComplaints, writeRecords } from './analysis-export';
import { parseFlags } from './flags';
import { DEFAULT_DATA_DIR } from './local-stack';
import { LOCAL_REGION } from './services/aws-lite';
import { LOCAL_CREDENTIALS, startDynamoDbLocal } from './services/dynamodb-local';

export const USAGE = `usage: npm run analysis -- --year YYYY [--endpoint URL | --data-dir DIR] [--table NAME] [--out DIR] [--only NAMES]

  --year YYYY      the analysis year: complaints received in it (policy time zone)
  --endpoint URL   a running DynamoDB Local (npm start prints it; default ${'http://127.0.0.1:3002'} when it answers)
  --data-dir DIR   no stack running: start DynamoDB Local over DIR/dynamodb (default .local-data)
  --table NAME     the complaint table (default: the table with the 'by-customer' index)
  --out DIR        where the export and the CSV files go (default analysis-out/<year>)
  --only NAMES     comma-separated query names (default: every file in analysis/sql)
  --help           this text`;

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:3002';

export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface AnalysisOptions {
  readonly year: number;
  readonly endpoint?: string;
  readonly dataDir?: string;
  readonly table?: string;
  readonly out: string;
  readonly only?: readonly string[];
}

export function parseAnalysisArgs(argv: readonly string[]): AnalysisOptions | 'help' {
  const spec = {
    year: { type: 'string' },
    endpoint: { type: 'string' },
    'data-dir': { type: 'string' },
    table: { type: 'string' },
    out: { type: 'string' },
    only: { type: 'string' },
    help: { type: 'boolean' },
  } as const;
  let values: ReturnType<typeof parseFlags<typeof spec>>['values'];
  try {
    ({ values } = parseFlags(argv, spec));
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) return 'help';
  if (!values.year || !/^\d{4}$/.test(values.year))
    throw new InputError(`--year expects a four-digit year, got '${values.year ?? ''}'\n${USAGE}`);
  if (values.endpoint && values['data-dir'])
    throw new InputError('--endpoint and --data-dir exclude each other: a running stack or a data directory');
  if (values.endpoint && !/^https?:\/\//.test(values.endpoint))
    throw new InputError(`--endpoint expects an http(s) URL, got '${values.endpoint}'`);
  const year = Number(values.year);
  return {
    year,
    ...(values.endpoint ? { endpoint: values.endpoint } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(values.table ? { table: values.table } : {}),
    out: values.out ?? path.join('analysis-out', String(year)),
    ...(values.only
      ? {
          only: values.only
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
  };
}

const clientFor = (endpoint: string) =>
  new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });

async function answers(endpoint: string): Promise<boolean> {
  const client = clientFor(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

/** Runs `work` against the table's DynamoDB: the given or running one, else one started over the data dir. */
async function withDynamo<T>(opts: AnalysisOptions, work: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  let endpoint = opts.endpoint;
  let stop: (() => Promise<void>) | undefined;
  if (!endpoint && (await answers(DEFAULT_ENDPOINT))) {
    if (opts.dataDir)
      throw new InputError(`a stack is running (DynamoDB Local answers at ${DEFAULT_ENDPOINT}): use --endpoint, not --data-dir`);
    endpoint = DEFAULT_ENDPOINT;
  }
  if (!endpoint) {
    const dynamo = await startDynamoDbLocal({ dataDir: path.join(path.resolve(opts.dataDir ?? DEFAULT_DATA_DIR), 'dynamodb') });
    endpoint = dynamo.endpoint;
    stop = () => dynamo.stop();
  }
  const client = clientFor(endpoint);
  try {
    return await work(client);
  } finally {
    client.destroy();
    await stop?.();
  }
}

export async function runAnalysis(opts: AnalysisOptions, print: (text: string) => void): Promise<void> {
  const complaints = await withDynamo(opts, async (client) => scanComplaints(client, opts.table ?? (await findComplaintTable(client))));
  const { file, records } = writeRecords(complaints, opts.year, opts.out);
  print(`exported ${records.length} complaints received in ${opts.year} to ${file}\n`);
  const results = await runAnalysisQueries(path.dirname(file), opts.year, opts.only);
  mkdirSync(opts.out, { recursive: true });
  for (const result of results) {
    const csv = path.join(opts.out, `${result.name}.csv`);
    writeFileSync(csv, toCsv(result));
    print(`${result.name}: ${result.description}\n${toTextTable(result)}\n(${csv})\n`);
  }
}

async function main(): Promise<number> {
  try {
    const opts = parseAnalysisArgs(process.argv.slice(2));
    if (opts === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    await runAnalysis(opts, (text) => process.stdout.write(`${text}\n`));
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return error instanceof InputError || error instanceof AnalysisExportError ? 2 : 1;
  }
}

if (require.main === module) main().then((code) => process.exit(code));
