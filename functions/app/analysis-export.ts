/**
 * The AWS export of the analysis data (H-36): EventBridge Pipes hands this step the table's stream
 * records of complaints that were just archived (closed or failed; the pipe's filter drops every
 * other change), and it answers their analysis records, which the pipe sends to Firehose and
 * Firehose writes to S3 as JSON lines. The audit counts come from one query of the complaint's
 * audit trail; everything else from the new image.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type ComplaintStore, fromItem } from '../adapters/complaint-store';
import { type AnalysisRecord, countAuditTypes, toAnalysisRecord } from '../domain/analysis';
import { archivedAt } from '../domain/quality';

export interface StreamRecord {
  readonly dynamodb?: { readonly NewImage?: Record<string, AttributeValue> };
}

export async function analysisRecordsOf(
  store: Pick<ComplaintStore, 'history'>,
  records: readonly StreamRecord[],
  timeZone: string,
): Promise<AnalysisRecord[]> {
  const out: AnalysisRecord[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const item = unmarshall(image as Parameters<typeof unmarshall>[0]);
    if (item.sk !== 'META') continue;
    const { complaint } = fromItem(item);
    // The pipe filters on status; checked again so a filter change cannot export open complaints.
    if (!archivedAt(complaint)) continue;
    const audit = await store.history(complaint.id);
    out.push(toAnalysisRecord(complaint, countAuditTypes(audit.map((e) => e.type)), timeZone));
  }
  return out;
}
