/**
 * EventBridge Pipes enrichment (the analysis export, H-36): a batch of the table's stream records
 * in, the archived complaints' analysis records out (the pipe sends each to Firehose).
 */
import * as z from 'zod';
import { analysisRecordsOf, type StreamRecord } from '../app/analysis-export';
import { policyFromEnv, storeFromEnv } from '../app/environment';
import { task } from '../app/task-handler';

const store = storeFromEnv();
const timeZone = policyFromEnv().timeZone;

const streamBatchSchema = z.array(
  z.looseObject({
    eventName: z.string().optional(),
    dynamodb: z.looseObject({ NewImage: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
);

export const handler = task('analysis-export', streamBatchSchema, (records) =>
  analysisRecordsOf(store, records as readonly StreamRecord[], timeZone),
);
