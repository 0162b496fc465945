/**
 * cfn-lint on the synthesized template: it must report nothing but E3601 on the JSONata
 * `TimeoutSeconds` of the await states. cfn-lint's ASL schema only accepts an integer there, but in
 * a JSONata state (QueryLanguage JSONata) `TimeoutSeconds` may be a `{% %}` expression that gives a
 * positive integer, as aws-cdk-lib's own `Timeout.jsonata()` emits; asl-validator accepts it.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CARRIER_SETTINGS, synthStack } from './support/synth';

interface Finding {
  Rule: { Id: string };
  Message: string;
  Location: { Path: (string | number)[] };
}

const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const available = !cfnLint.error && cfnLint.status === 0;
if (!available) {
  process.stderr.write('cfn-lint is not installed: the cfn-lint check of the synthesized template is skipped (pip install cfn-lint).\n');
}

/** The JSONata TimeoutSeconds of an await state: cfn-lint's schema wants an integer there. */
const isJsonataTimeout = (f: Finding) => f.Rule.Id === 'E3601' && f.Location.Path.includes('TimeoutSeconds') && /\{%.*%\}/.test(f.Message);

describe.skipIf(!available)('cfn-lint', { timeout: 180_000 }, () => {
  it('finds nothing in the synthesized template but the acknowledged JSONata TimeoutSeconds', () => {
    const { template } = synthStack({ settings: CARRIER_SETTINGS });
    const file = join(mkdtempSync(join(tmpdir(), 'complaint-loop-lint-')), 'ComplaintLoop.template.json');
    writeFileSync(file, JSON.stringify(template.toJSON(), null, 1));

    const run = spawnSync('cfn-lint', ['--format', 'json', '--', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const findings = JSON.parse(run.stdout || '[]') as Finding[];
    const acknowledged = findings.filter(isJsonataTimeout);
    const rest = findings.filter((f) => !isJsonataTimeout(f)).map((f) => `${f.Rule.Id} ${f.Location.Path.join('/')}: ${f.Message}`);
    expect(rest).toEqual([]);
    // One per await state (AwaitFirstContact ... AwaitSurvey), and nothing else of that kind.
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const f of acknowledged) expect(f.Location.Path.join('/')).toMatch(/States\/Await[A-Za-z]+\/TimeoutSeconds/);
  });
});
