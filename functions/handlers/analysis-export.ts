/**
 * EventBridge Pipes enrichment (the analysis export, H-36): a batch of the table's stream records
 * in, the archived complaints' analysis records out (the pipe sends each to Firehose).
 */

import { analysisExportHandler } from '../app/tasks/analysis-export';
import { policyFromEnv, storeFromEnv } from './compose/environment';

export const handler = analysisExportHandler({ store: storeFromEnv(), timeZone: policyFromEnv().timeZone });
