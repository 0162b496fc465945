/** The complaint console behind the session authorizer: pages for supervisors, management and operations. */
import { buildComplaintLoopDefinition } from '../../workflows/complaint-loop';
import { renderSvg } from '../../workflows/diagram';
import { consoleHandler } from '../app/console/console';
import { acknowledgeFromConsole } from '../app/console/console-ack';
import { policyFromEnv, storeFromEnv } from './compose/environment';

let diagram: string | undefined;
/** Drawn from the same definition CDK deploys, once per container. */
function workflowSvg(): string {
  diagram ??= renderSvg(buildComplaintLoopDefinition(), { title: 'complaint-loop state machine' });
  return diagram;
}

const deps = { store: storeFromEnv(), policy: policyFromEnv() };

export const handler = consoleHandler({
  ...deps,
  workflowSvg,
  acknowledge: (id, form, viewer, now) => acknowledgeFromConsole(deps, id, form, viewer, now),
});
