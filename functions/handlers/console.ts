/** GET /console, /console/complaints/{id}, /console/quality (IAM auth): the read-only complaint console. */
import { buildComplaintLoopDefinition } from '../../workflows/complaint-loop';
import { renderSvg } from '../../workflows/diagram';
import { consoleHandler } from '../app/console/console';
import { policyFromEnv, storeFromEnv } from '../app/runtime/environment';

let diagram: string | undefined;
/** Drawn from the same definition CDK deploys, once per container. */
function workflowSvg(): string {
  diagram ??= renderSvg(buildComplaintLoopDefinition(), { title: 'complaint-loop state machine' });
  return diagram;
}

export const handler = consoleHandler({ store: storeFromEnv(), policy: policyFromEnv(), workflowSvg });
