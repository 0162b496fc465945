import { describe, expect, it } from 'vitest';
import { buildComplaintLoopDefinition } from '../../../workflows/complaint-loop';
import { type AslMachine, edgesOf, InvalidDefinitionError, renderMermaid, renderSvg } from '../../../workflows/diagram';

const definition = buildComplaintLoopDefinition() as unknown as AslMachine;
const stateNames = Object.keys(definition.States);

describe('the workflow diagram, from the synthesized definition', () => {
  it('has every state of the definition, in Mermaid and in the SVG (so it cannot drift)', () => {
    const mermaid = renderMermaid(definition);
    const svg = renderSvg(definition);
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(stateNames.length).toBeGreaterThan(10);
    for (const name of stateNames) {
      expect(mermaid).toContain(`state "${name}" as ${name}\n`);
      expect(svg).toContain(`data-state="${name}"`);
    }
    expect(svg.match(/data-state="/g)).toHaveLength(stateNames.length);
  });

  it('has every transition: Next, each Choice, Default and the specific Catch edges; the start and the ends', () => {
    const mermaid = renderMermaid(definition);
    const lines = new Set(mermaid.split('\n').map((l) => l.trim()));
    for (const [name, s] of Object.entries(definition.States)) {
      if (s.Next) expect(lines, `${name} → ${s.Next}`).toContain(`${name} --> ${s.Next}`);
      for (const c of s.Choices ?? []) expect(mermaid).toMatch(new RegExp(`\\n\\s*${name} --> ${c.Next}( :|\\n)`));
      if (s.Default) expect(lines).toContain(`${name} --> ${s.Default} : otherwise`);
      for (const c of s.Catch ?? []) {
        if (c.ErrorEquals.includes('States.ALL')) continue;
        expect(lines).toContain(`${name} --> ${c.Next} : ${c.ErrorEquals.join(', ')}`);
      }
      if (s.End || s.Type === 'Fail') expect(lines).toContain(`${name} --> [*]`);
    }
    expect(lines).toContain(`[*] --> ${definition.StartAt}`);
    expect(mermaid).toContain("SurveyAnswered --> Reopen : surveyOutcome = 'not-solved'");
  });

  it('draws the shared catch-all once as a note, or as edges on request', () => {
    const shared = Object.values(definition.States).filter((s) =>
      s.Catch?.some((c) => c.ErrorEquals.includes('States.ALL') && c.Next === 'EscalateFailure'),
    ).length;
    expect(renderMermaid(definition)).toContain(`Any other error in ${shared} states`);
    expect(renderMermaid(definition).match(/--> EscalateFailure/g)).toBeNull();
    const all = renderMermaid(definition, { showCatchAll: true });
    expect(all.match(/--> EscalateFailure : States\.ALL/g)).toHaveLength(shared);
    expect(edgesOf(definition, { showCatchAll: true }).length).toBe(edgesOf(definition).length + shared);
  });

  it('lays the SVG out with finite coordinates inside its view box', () => {
    const svg = renderSvg(definition);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.map(Number);
    for (const m of svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g)) {
      const [x, y, rw, rh] = m.slice(1).map(Number) as [number, number, number, number];
      expect(x + rw).toBeLessThanOrEqual(w!);
      expect(y + rh).toBeLessThanOrEqual(h!);
    }
    // Boxes of one diagram never overlap.
    const boxes = [
      ...svg.matchAll(/<g data-state="[^"]+"><title>[^<]*<\/title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/g),
    ].map((m) => m.slice(1).map(Number));
    expect(boxes).toHaveLength(stateNames.length);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [ax, ay, aw, ah] = boxes[i]!;
        const [bx, by, bw, bh] = boxes[j]!;
        const apart = ax! + aw! <= bx! || bx! + bw! <= ax! || ay! + ah! <= by! || by! + bh! <= ay!;
        expect(apart, `boxes ${i} and ${j}`).toBe(true);
      }
    }
  });

  it('draws Parallel branches as composite states', () => {
    const nested: AslMachine = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Next: 'Done',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
          ],
        },
        Done: { Type: 'Succeed' },
      },
    };
    const mermaid = renderMermaid(nested);
    expect(mermaid).toContain('state "Both" as Both {');
    expect(mermaid).toContain('[*] --> Both_0_A');
    expect(mermaid).toContain('[*] --> Both_1_B');
    expect(mermaid).toContain('Both --> Done');
  });

  it('fails on a definition without StartAt or with a StartAt that names no state', () => {
    expect(() => renderMermaid({ States: {} })).toThrow(InvalidDefinitionError);
    expect(() => renderSvg({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } })).toThrow(/StartAt names a missing state: Nope/);
  });
});
