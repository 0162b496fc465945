/**
 * The documentation files drawn from code: the workflow picture from the definition, the SLA clock
 * table from the default policy. `npm run docs:generate` writes them; test/unit/docs.test.ts fails
 * when a committed file differs from what this renders.
 */
import { DEFAULT_SLA_POLICY } from '../functions/domain/sla-policy';
import { buildComplaintLoopDefinition } from './complaint-loop';
import { renderMermaid, renderSvg } from './diagram';
import { renderSlaTable, withGeneratedSection } from './sla-table';

export interface GeneratedDoc {
  /** Relative to the repository root. */
  readonly path: string;
  /** The file as it should be, given its current text (a generated section keeps the hand-written text around it). */
  render(current: string): string;
}

export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: 'docs/images/complaint-loop.svg', render: () => renderSvg(buildComplaintLoopDefinition()) },
  { path: 'docs/images/complaint-loop.mmd', render: () => renderMermaid(buildComplaintLoopDefinition()) },
  { path: 'docs/sla-policy.md', render: (current) => withGeneratedSection(current, renderSlaTable(DEFAULT_SLA_POLICY)) },
];
