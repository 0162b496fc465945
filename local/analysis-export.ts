/**
 * The local export: every complaint of the table as an analysis record (one JSON line each),
 * read with one paginated Scan (META items and audit lines together, so the audit counts come
 * without a query per complaint). The same record the AWS export writes to S3.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { fromItem } from '../functions/adapters/complaint-store';
import { AUDIT_SORT_PREFIX, CUSTOMER_INDEX, META_SORT_KEY, PARTITION_PREFIXES } from '../functions/contract/table';
import { type AnalysisRecord, toAnalysisRecord, toJsonLine } from '../functions/domain/analysis';
import type { Complaint } from '../functions/domain/types';

export class AnalysisExportError extends Error {
  override readonly name = 'AnalysisExportError';
}

/** The complaint table: the one with the `by-customer` index (the local stack names tables by logical id). */
export async function findComplaintTable(client: DynamoDBClient): Promise<string> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const out = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(out.TableNames ?? []));
    start = out.LastEvaluatedTableName;
  } while (start);
  const found: string[] = [];
  for (const name of names) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.GlobalSecondaryIndexes?.some((i) => i.IndexName === CUSTOMER_INDEX)) found.push(name);
  }
  if (found.length !== 1) {
    throw new AnalysisExportError(
      found.length === 0
        ? `no complaint table (a table with the '${CUSTOMER_INDEX}' index) among: ${names.join(', ') || 'none'}`
        : `several complaint tables (${found.join(', ')}): name one with --table`,
    );
  }
  return found[0]!;
}

/** Every complaint of `table` with the counts of its audit lines by type. */
export async function scanComplaints(
  client: DynamoDBClient,
  table: string,
): Promise<{ complaint: Complaint; auditCounts: Record<string, number> }[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const complaints = new Map<string, Complaint>();
  const audit = new Map<string, Record<string, number>>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(pk, :c) AND (sk = :meta OR begins_with(sk, :ev))',
        ExpressionAttributeValues: { ':c': PARTITION_PREFIXES.complaint, ':meta': META_SORT_KEY, ':ev': AUDIT_SORT_PREFIX },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const pk = item.pk as string;
      if (item.sk === META_SORT_KEY) complaints.set(pk, fromItem(item).complaint);
      else {
        const counts = audit.get(pk) ?? {};
        counts[item.type as string] = (counts[item.type as string] ?? 0) + 1;
        audit.set(pk, counts);
      }
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return [...complaints.entries()].map(([pk, complaint]) => ({ complaint, auditCounts: audit.get(pk) ?? {} }));
}

/**
 * Writes the records of the complaints received in `year` (policy time zone) to
 * `<outDir>/records/complaints-<year>.jsonl`, oldest receipt first; answers the file and the records.
 */
export function writeRecords(
  complaints: readonly { complaint: Complaint; auditCounts: Record<string, number> }[],
  year: number,
  outDir: string,
  timeZone = 'Asia/Shanghai',
): { file: string; records: AnalysisRecord[] } {
  const records = complaints
    .map(({ complaint, auditCounts }) => toAnalysisRecord(complaint, auditCounts, timeZone))
    .filter((r) => r.received_year === year)
    .sort((a, b) => a.received_at.localeCompare(b.received_at) || a.id.localeCompare(b.id));
  const dir = path.join(outDir, 'records');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `complaints-${year}.jsonl`);
  writeFileSync(file, records.map(toJsonLine).join(''));
  return { file, records };
}
