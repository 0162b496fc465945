/**
 * The AWS export of the analysis data (H-36): EventBridge Pipes hands this step the table's stream
 * records of complaints that were just archived (closed or failed; the pipe's filter drops every
 * other change), and it answers their analysis records, which the pipe sends to Firehose and
 * Firehose writes to S3 as JSON lines. The audit counts come from one query of the complaint's
 * audit trail; everything else from the new image.
 */

import { type AnalysisRecord, countAuditTypes, toAnalysisRecord } from '../../domain/analysis';
import { archivedAt } from '../../domain/quality';
import * as z from '../../domain/zod';
import type { ChangeStreamReader, ComplaintRecords, ComplaintRepository } from '../ports';
import { task } from './task-handler';

export interface StreamRecord {
  readonly dynamodb?: { readonly NewImage?: Readonly<Record<string, unknown>> };
}

export async function analysisRecordsOf(
  store: Pick<ComplaintRecords, 'history'> & ChangeStreamReader,
  records: readonly StreamRecord[],
  timeZone: string,
): Promise<AnalysisRecord[]> {
  const out: AnalysisRecord[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (!image) continue;
    const complaint = store.complaintOfImage(image);
    // The pipe filters on status; checked again so a filter change cannot export open complaints.
    if (!complaint || !archivedAt(complaint)) continue;
    const audit = await store.history(complaint.id);
    out.push(toAnalysisRecord(complaint, countAuditTypes(audit.map((e) => e.type)), timeZone));
  }
  return out;
}

const streamBatchSchema = z.array(
  z.looseObject({
    eventName: z.optional(z.string()),
    dynamodb: z.optional(z.looseObject({ NewImage: z.optional(z.record(z.string(), z.unknown())) })),
  }),
);

/** The analysis export (H-36): a batch of change records in, the archived complaints' analysis records out. */
export const analysisExportHandler = (deps: {
  readonly store: Pick<ComplaintRepository, 'history'> & ChangeStreamReader;
  readonly timeZone: string;
}) =>
  task('analysis-export', streamBatchSchema, (records) => analysisRecordsOf(deps.store, records as readonly StreamRecord[], deps.timeZone));
