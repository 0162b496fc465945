/**
 * A counting HTTP proxy in front of DynamoDB Local. Each request is forwarded with
 * ReturnConsumedCapacity TOTAL added (DynamoDB Local then reports the capacity units it would
 * charge), and the proxy adds up requests and units per operation. On-demand tables bill request
 * units equal to these capacity units:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html
 * A write whose condition fails still consumes write capacity (counted as 1 WRU when the error
 * carries no figure):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html#WorkingWithItems.ConditionalUpdate
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface DynamoCounts {
  requests: number;
  readRequests: number;
  writeRequests: number;
  otherRequests: number;
  readUnits: number;
  writeUnits: number;
  /** Requests whose answer carried no ConsumedCapacity (estimated at 1 unit). */
  estimated: number;
  byOperation: Record<string, number>;
  /** Requests per step (the STEP_HEADER a client sent, else 'other'), then per operation. */
  byStep: Record<string, Record<string, number>>;
}

/** The header a metered client names the step it works for with (bench/loop-stack.ts sets it). */
export const STEP_HEADER = 'x-bench-step';

export function emptyCounts(): DynamoCounts {
  return {
    requests: 0,
    readRequests: 0,
    writeRequests: 0,
    otherRequests: 0,
    readUnits: 0,
    writeUnits: 0,
    estimated: 0,
    byOperation: {},
    byStep: {},
  };
}

function diffRecord(after: Record<string, number>, before: Record<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before?.[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

export function diffCounts(after: DynamoCounts, before: DynamoCounts): DynamoCounts {
  const byStep: Record<string, Record<string, number>> = {};
  for (const [step, ops] of Object.entries(after.byStep)) {
    const d = diffRecord(ops, before.byStep[step]);
    if (Object.keys(d).length) byStep[step] = d;
  }
  return {
    requests: after.requests - before.requests,
    readRequests: after.readRequests - before.readRequests,
    writeRequests: after.writeRequests - before.writeRequests,
    otherRequests: after.otherRequests - before.otherRequests,
    readUnits: after.readUnits - before.readUnits,
    writeUnits: after.writeUnits - before.writeUnits,
    estimated: after.estimated - before.estimated,
    byOperation: diffRecord(after.byOperation, before.byOperation),
    byStep,
  };
}

export interface DynamoMeter {
  readonly endpoint: string;
  snapshot(): DynamoCounts;
  close(): Promise<void>;
}

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

function unitsOf(consumed: Capacity | Capacity[] | undefined, write: boolean): number | undefined {
  if (!consumed) return undefined;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  if (list.length === 0) return undefined;
  let total = 0;
  for (const c of list) total += c.CapacityUnits ?? (write ? c.WriteCapacityUnits : c.ReadCapacityUnits) ?? 0;
  return total;
}

/** One metered request, for a trace (BENCH_TRACE_DYNAMO=1 in the cost bench). */
export interface DynamoTraceLine {
  op: string;
  units: number;
  key: string;
}

/**
 * `stepOf`: names the step of a request that carries no STEP_HEADER (its client was not labelled:
 * under a test runner the handlers may load their own copy of the client module).
 */
export async function startDynamoMeter(
  target: string,
  trace?: (line: DynamoTraceLine) => void,
  stepOf: () => string = () => 'other',
): Promise<DynamoMeter> {
  const counts = emptyCounts();
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const op =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      let body = Buffer.concat(chunks);
      const isRead = READS.has(op);
      const isWrite = WRITES.has(op);
      if (isRead || isWrite) {
        try {
          const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
          parsed.ReturnConsumedCapacity = 'TOTAL';
          body = Buffer.from(JSON.stringify(parsed));
        } catch {
          // not JSON: forwarded as is
        }
      }
      const headers = { ...req.headers, 'content-length': String(body.length), host: upstream.host };
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
        (up) => {
          const resChunks: Buffer[] = [];
          up.on('data', (c: Buffer) => resChunks.push(c));
          up.on('end', () => {
            const resBody = Buffer.concat(resChunks);
            counts.requests += 1;
            counts.byOperation[op] = (counts.byOperation[op] ?? 0) + 1;
            const step = String(req.headers[STEP_HEADER] ?? stepOf());
            const ops = (counts.byStep[step] ??= {});
            ops[op] = (ops[op] ?? 0) + 1;
            if (isRead || isWrite) {
              let units: number | undefined;
              try {
                units = unitsOf(
                  (JSON.parse(resBody.toString('utf8')) as { ConsumedCapacity?: Capacity | Capacity[] }).ConsumedCapacity,
                  isWrite,
                );
              } catch {
                units = undefined;
              }
              if (units === undefined) {
                counts.estimated += 1;
                units = 1;
              }
              trace?.({ op, units, key: keyOf(body) });
              if (isRead) {
                counts.readRequests += 1;
                counts.readUnits += units;
              } else {
                counts.writeRequests += 1;
                counts.writeUnits += units;
              }
            } else counts.otherRequests += 1;
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(resBody);
          });
          up.on('error', (err) => res.destroy(err));
        },
      );
      out.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    snapshot: () => JSON.parse(JSON.stringify(counts)) as DynamoCounts,
    close: async () => {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A short description of what a request touched (its keys and sort-key prefixes). */
function keyOf(body: Buffer): string {
  const text = body.toString('utf8');
  const keys = [...text.matchAll(/"sk":\{"S":"([^"#]*)/g)].map((m) => m[1]);
  const conds = /"KeyConditionExpression":"([^"]*)"/.exec(text)?.[1];
  return [keys.join(','), conds].filter(Boolean).join(' ');
}
