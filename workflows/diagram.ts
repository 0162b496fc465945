/**
 * The workflow picture, drawn from the synthesized definition (buildComplaintLoopDefinition) so it
 * never drifts from the code: Mermaid `stateDiagram-v2` text for the README and the console, and a
 * self-contained SVG laid out here (no browser, no layout library).
 *
 * Edges come from the ASL fields that move control: Next, End, Choices[].Next, Default and
 * Catch[].Next (https://states-language.net/spec.html). A catch-all (States.ALL) edge that every task
 * shares would bury the picture, so by default it is drawn once as a note instead of once per task.
 */

export interface AslState {
  readonly Type: string;
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Resource?: string;
  readonly Choices?: readonly {
    readonly Next: string;
    readonly Condition?: string;
    readonly Comment?: string;
    readonly Variable?: string;
  }[];
  readonly Catch?: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
  readonly Branches?: readonly AslMachine[];
  readonly ItemProcessor?: AslMachine;
  readonly Iterator?: AslMachine;
}

export interface AslMachine {
  readonly StartAt: string;
  readonly States: Readonly<Record<string, AslState>>;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

export interface DiagramOptions {
  /** Draw every States.ALL catch edge instead of one note (default false). */
  readonly showCatchAll?: boolean;
}

export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
}

function asMachine(definition: unknown): AslMachine {
  const d = definition as Partial<AslMachine> | undefined;
  if (!d || typeof d.StartAt !== 'string' || typeof d.States !== 'object' || d.States === null) {
    throw new InvalidDefinitionError('a state machine definition needs StartAt and States');
  }
  if (!(d.StartAt in d.States)) throw new InvalidDefinitionError(`StartAt names a missing state: ${d.StartAt}`);
  return d as AslMachine;
}

/** A JSONata condition as a short label: `{% $states.input.expired = true %}` → `expired = true`. */
export function conditionLabel(condition: string): string {
  return condition
    .replace(/^\s*\{%\s*/, '')
    .replace(/\s*%\}\s*$/, '')
    .replace(/\$states\.input\./g, '')
    .replace(/\$/g, '')
    .trim();
}

const isCatchAll = (errors: readonly string[]) => errors.length === 1 && errors[0] === 'States.ALL';

/** The edges of one machine level (nested Parallel/Map machines are separate levels). */
export function edgesOf(machine: AslMachine, options: DiagramOptions = {}): Edge[] {
  const edges: Edge[] = [];
  const shared = catchAllTargets(machine);
  for (const [name, s] of Object.entries(machine.States)) {
    if (s.Next) edges.push({ from: name, to: s.Next, kind: 'next' });
    for (const c of s.Choices ?? []) {
      const label = c.Condition ? conditionLabel(c.Condition) : (c.Comment ?? c.Variable ?? '');
      edges.push({ from: name, to: c.Next, kind: 'choice', ...(label ? { label } : {}) });
    }
    if (s.Default) edges.push({ from: name, to: s.Default, kind: 'default', label: 'otherwise' });
    for (const c of s.Catch ?? []) {
      if (isCatchAll(c.ErrorEquals) && !options.showCatchAll && shared.has(c.Next)) continue;
      edges.push({ from: name, to: c.Next, kind: 'catch', label: c.ErrorEquals.join(', ') });
    }
  }
  return edges;
}

/** Catch-all targets shared by several states (drawn as one note each), with those states. */
function catchAllTargets(machine: AslMachine): Map<string, string[]> {
  const byTarget = new Map<string, string[]>();
  for (const [name, s] of Object.entries(machine.States)) {
    for (const c of s.Catch ?? []) {
      if (isCatchAll(c.ErrorEquals)) byTarget.set(c.Next, [...(byTarget.get(c.Next) ?? []), name]);
    }
  }
  for (const [target, from] of byTarget) if (from.length < 2) byTarget.delete(target);
  return byTarget;
}

/** What a state does, in a few words (the kind of Task integration, the Choice, the end). */
export function stateKind(s: AslState): string {
  if (s.Type === 'Task') {
    if (s.Resource?.endsWith('.waitForTaskToken')) return 'Task (wait for callback)';
    if (s.Resource?.endsWith('.sync')) return 'Task (run a job)';
    return 'Task';
  }
  return s.Type;
}

// Mermaid identifiers: letters, digits, underscore; labels lose the characters Mermaid treats as syntax.
const mermaidId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');
const mermaidText = (text: string) =>
  text
    .replace(/[:;#{}<>\n\r]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function mermaidLevel(machine: AslMachine, options: DiagramOptions, indent: string, lines: string[], prefix: string): void {
  const id = (n: string) => mermaidId(prefix + n);
  lines.push(`${indent}[*] --> ${id(machine.StartAt)}`);
  for (const [name, s] of Object.entries(machine.States)) {
    const nested = s.Branches ?? ((s.ItemProcessor ?? s.Iterator) ? [(s.ItemProcessor ?? s.Iterator)!] : undefined);
    if (nested) {
      lines.push(`${indent}state "${mermaidText(name)}" as ${id(name)} {`);
      nested.forEach((branch, i) => {
        if (i > 0) lines.push(`${indent}  --`);
        mermaidLevel(asMachine(branch), options, `${indent}  `, lines, `${prefix}${name}_${i}_`);
      });
      lines.push(`${indent}}`);
    } else {
      lines.push(`${indent}state "${mermaidText(name)}" as ${id(name)}`);
    }
    lines.push(`${indent}${id(name)} : ${mermaidText(stateKind(s))}`);
    if (s.End || s.Type === 'Succeed' || s.Type === 'Fail') lines.push(`${indent}${id(name)} --> [*]`);
  }
  for (const e of edgesOf(machine, options)) {
    lines.push(`${indent}${id(e.from)} --> ${id(e.to)}${e.label ? ` : ${mermaidText(e.label)}` : ''}`);
  }
  if (!options.showCatchAll) {
    for (const [target, from] of catchAllTargets(machine)) {
      lines.push(`${indent}note left of ${id(target)}`);
      lines.push(`${indent}  Any other error in ${from.length} states`);
      lines.push(`${indent}  (after retries) goes here`);
      lines.push(`${indent}end note`);
    }
  }
  const byClass: Record<string, string[]> = {};
  for (const [name, s] of Object.entries(machine.States)) {
    const cls =
      s.Type === 'Task'
        ? s.Resource?.endsWith('.waitForTaskToken')
          ? 'wait'
          : 'task'
        : s.Type === 'Fail'
          ? 'fail'
          : s.Type === 'Choice'
            ? 'choice'
            : 'other';
    (byClass[cls] ??= []).push(id(name));
  }
  for (const [cls, ids] of Object.entries(byClass)) lines.push(`${indent}class ${ids.join(',')} ${cls}`);
}

/** Mermaid `stateDiagram-v2` text of a definition (nested machines become composite states). */
export function renderMermaid(definition: unknown, options: DiagramOptions = {}): string {
  const machine = asMachine(definition);
  const lines = ['stateDiagram-v2'];
  const comment = (definition as { Comment?: string }).Comment;
  if (comment) lines.push(`  %% ${mermaidText(comment)}`);
  lines.push(
    '  classDef task fill:#eaf1fc,stroke:#0a56c2,color:#1b1f24',
    '  classDef wait fill:#fff4e0,stroke:#8a4b00,color:#1b1f24',
    '  classDef choice fill:#f1ecfb,stroke:#5b3fa6,color:#1b1f24',
    '  classDef fail fill:#fde8e7,stroke:#b3261e,color:#1b1f24',
    '  classDef other fill:#eef1f4,stroke:#4a5361,color:#1b1f24',
  );
  mermaidLevel(machine, options, '  ', lines, '');
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// SVG: a layered top-to-bottom layout. Layers are longest paths from the start over the graph
// without its back edges (found by depth-first search), so loops point upwards; within a layer,
// nodes keep the order of first discovery, nudged towards their parents (one barycentre pass).

interface Box {
  readonly name: string;
  readonly state: AslState;
  layer: number;
  x: number;
  y: number;
  w: number;
}

const NODE_H = 44;
const LAYER_GAP = 34;
const COL_GAP = 36;
const MARGIN = 24;
/** Boxes start here: the gutter left of them carries loops that leave the leftmost box of a row. */
const LEFT = MARGIN + 28;
const PALETTE: Record<string, { fill: string; stroke: string }> = {
  task: { fill: '#eaf1fc', stroke: '#0a56c2' },
  wait: { fill: '#fff4e0', stroke: '#8a4b00' },
  choice: { fill: '#f1ecfb', stroke: '#5b3fa6' },
  fail: { fill: '#fde8e7', stroke: '#b3261e' },
  other: { fill: '#eef1f4', stroke: '#4a5361' },
};

const paletteOf = (s: AslState) =>
  PALETTE[
    s.Type === 'Task'
      ? s.Resource?.endsWith('.waitForTaskToken')
        ? 'wait'
        : 'task'
      : s.Type === 'Fail'
        ? 'fail'
        : s.Type === 'Choice'
          ? 'choice'
          : 'other'
  ]!;

/** Rough text width (no font metrics without a browser): CJK is wide, the rest about 0.6 em. */
const textWidth = (text: string, size: number) => [...text].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? size : size * 0.6), 0);

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The graph as laid out: a box per state, its layer, and the edges that run backwards. */
interface Layout {
  readonly machine: AslMachine;
  readonly boxes: Map<string, Box>;
  /** `from>to` of each edge that closes a cycle (drawn as a loop). */
  readonly back: Set<string>;
  /** A state beside its host in the host's layer (a loop satellite) → the host. */
  readonly satellite: Map<string, string>;
  /** The edges drawn (the catch-all ones only on request). */
  readonly drawn: Edge[];
  readonly layerCount: number;
  width: number;
}

/** Back edges by DFS from the start (then from any state not reached), and the DFS pre-order. */
function backEdges(start: string, names: string[], out: Map<string, string[]>): { back: Set<string>; order: string[] } {
  const back = new Set<string>();
  const seen = new Set<string>();
  const onStack = new Set<string>();
  const order: string[] = [];
  const dfs = (n: string) => {
    seen.add(n);
    onStack.add(n);
    order.push(n);
    for (const m of out.get(n)!) {
      if (onStack.has(m)) back.add(`${n}>${m}`);
      else if (!seen.has(m)) dfs(m);
    }
    onStack.delete(n);
  };
  dfs(start);
  for (const n of names) if (!seen.has(n)) dfs(n);
  return { back, order };
}

/** Longest path on the DAG: relax in DFS pre-order until stable (the graph is small). */
function longestPathLayers(order: string[], out: Map<string, string[]>, back: Set<string>): Map<string, number> {
  const layer = new Map<string, number>(order.map((n) => [n, 0]));
  for (let changed = true, guard = 0; changed && guard < order.length + 1; guard++) {
    changed = false;
    for (const n of order) {
      for (const m of out.get(n)!) {
        if (back.has(`${n}>${m}`)) continue;
        if (layer.get(m)! < layer.get(n)! + 1) {
          layer.set(m, layer.get(n)! + 1);
          changed = true;
        }
      }
    }
  }
  return layer;
}

/**
 * A loop satellite (a state entered only from P that only goes back to P, like a clock tick
 * beside its wait) sits beside P in P's layer, so the loop is a short sideways hop.
 */
function loopSatellites(machine: AslMachine, names: string[], layer: Map<string, number>): Map<string, string> {
  const satellite = new Map<string, string>();
  const plain = edgesOf(machine);
  for (const n of names) {
    const ins = plain.filter((e) => e.to === n);
    const outs = plain.filter((e) => e.from === n).map((e) => e.to);
    if (ins.length === 1 && outs.length > 0 && outs.every((m) => m === ins[0]!.from) && n !== machine.StartAt) {
      satellite.set(n, ins[0]!.from);
      layer.set(n, layer.get(ins[0]!.from)!);
    }
  }
  return satellite;
}

function layoutOf(machine: AslMachine, options: DiagramOptions): Layout {
  const names = Object.keys(machine.States);
  // Layering uses every edge (catch-all too), so failure handling sits below the happy path.
  const all = edgesOf(machine, { showCatchAll: true });
  const out = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const e of all) if (out.has(e.from) && out.has(e.to)) out.get(e.from)!.push(e.to);
  const { back, order } = backEdges(machine.StartAt, names, out);
  const layer = longestPathLayers(order, out, back);
  for (const n of names) if (!layer.has(n)) layer.set(n, 0);
  const satellite = loopSatellites(machine, names, layer);
  const boxes = new Map<string, Box>();
  for (const n of order) {
    const s = machine.States[n]!;
    const w = Math.max(textWidth(n, 14), textWidth(stateKind(s), 11)) + 28;
    boxes.set(n, { name: n, state: s, layer: layer.get(n)!, x: 0, y: 0, w });
  }
  const layout: Layout = { machine, boxes, back, satellite, drawn: edgesOf(machine, options), layerCount: 0, width: 0 };
  const parents = (b: Box) =>
    satellite.has(b.name) ? [] : all.filter((e) => e.to === b.name && !back.has(`${e.from}>${e.to}`)).map((e) => boxes.get(e.from)!);
  return placeBoxes(layout, parents);
}

/** Place layer by layer: each node wants to sit under the mean of its parents; overlaps push right. */
function placeBoxes(layout: Layout, parents: (b: Box) => Box[]): Layout {
  const { boxes, satellite, drawn } = layout;
  const layers: Box[][] = [];
  for (const b of boxes.values()) (layers[b.layer] ??= []).push(b);
  // Room for the label of the sideways edge into a satellite.
  const sideGap = (host: string, sat: string) => {
    const label = drawn.find((e) => e.from === host && e.to === sat)?.label ?? '';
    return Math.max(COL_GAP, textWidth(label, 10) + 24);
  };
  const want = (b: Box) => {
    const ps = parents(b);
    return ps.length ? ps.reduce((s, p) => s + p.x + p.w / 2, 0) / ps.length - b.w / 2 : LEFT;
  };
  let width = 0;
  for (const row of layers) {
    if (!row) continue;
    // Satellites go right after their host.
    const hosts = row.filter((b) => !satellite.has(b.name)).sort((a, b) => want(a) - want(b));
    row.length = 0;
    for (const h of hosts) row.push(h, ...[...boxes.values()].filter((b) => satellite.get(b.name) === h.name));
    let cursor = LEFT;
    for (const b of row) {
      const host = satellite.get(b.name);
      if (host) cursor += sideGap(host, b.name) - COL_GAP;
      b.x = Math.max(cursor, want(b));
      b.y = MARGIN + 40 + b.layer * (NODE_H + LAYER_GAP);
      cursor = b.x + b.w + COL_GAP;
    }
    width = Math.max(width, cursor - COL_GAP + MARGIN);
  }
  return { ...layout, layerCount: layers.length, width };
}

const centreX = (b: Box) => b.x + b.w / 2;

/** Where an edge's path and label go. */
interface EdgeGeometry {
  d: string;
  lx: number;
  ly: number;
}

/** Host ⇄ satellite: two straight lines, out above and back below. */
function sidewaysPath(a: Box, b: Box, outward: boolean): EdgeGeometry {
  const y = a.y + (outward ? 15 : 31);
  const x0 = outward ? a.x + a.w : a.x;
  const x1 = outward ? b.x - 8 : b.x + b.w + 8;
  return { d: `M${x0},${y} L${x1},${y}`, lx: Math.min(x0, x1) + 4, ly: y - 4 };
}

/** Loops taken so far (each gets its own lane) and how far right the lanes and labels reach. */
interface LoopLanes {
  count: number;
  rightmost: number;
}

/** Up a lane right of every box in between (or left, when that is clear), so the loop crosses nothing. */
function loopPath(layout: Layout, a: Box, b: Box, label: string | undefined, lanes: LoopLanes): EdgeGeometry {
  lanes.count += 1;
  const boxes = [...layout.boxes.values()];
  const y0 = a.y + NODE_H / 2;
  const y1 = b.y + NODE_H / 2;
  const dir = y1 < y0 ? -1 : 1;
  const rowOf = (x: Box) => boxes.filter((o) => o.layer === x.layer && o !== x);
  // Leave on the left when something sits right of the source and nothing left of it.
  const left = rowOf(a).some((o) => o.x > a.x) && !rowOf(a).some((o) => o.x < a.x) && !rowOf(b).some((o) => o.x < b.x);
  if (left) {
    const lane = MARGIN - 8 + (lanes.count % 2) * 8;
    const d = `M${a.x},${y0} L${lane + 10},${y0} Q${lane},${y0} ${lane},${y0 + 10 * dir} L${lane},${y1 - 10 * dir} Q${lane},${y1} ${lane + 10},${y1} L${b.x - 8},${y1}`;
    return { d, lx: lane + 4, ly: (y0 + y1) / 2 };
  }
  const lo = Math.min(a.layer, b.layer);
  const hi = Math.max(a.layer, b.layer);
  const right = Math.max(...boxes.filter((x) => x.layer >= lo && x.layer <= hi).map((x) => x.x + x.w));
  const side = right + 24 + (lanes.count % 3) * 14;
  lanes.rightmost = Math.max(lanes.rightmost, side + 8 + (label ? textWidth(label, 11) : 0));
  const x0 = a.x + a.w;
  const x1 = b.x + b.w;
  const d = `M${x0},${y0} L${side - 12},${y0} Q${side},${y0} ${side},${y0 + 12 * dir} L${side},${y1 - 12 * dir} Q${side},${y1} ${side - 12},${y1} L${x1 + 8},${y1}`;
  return { d, lx: side + 4, ly: (y0 + y1) / 2 };
}

function forwardPath(a: Box, b: Box): EdgeGeometry {
  const x0 = centreX(a);
  const y0 = a.y + NODE_H;
  const x1 = centreX(b);
  const y1 = b.y - 8;
  const my = (y0 + y1) / 2;
  return { d: `M${x0},${y0} C${x0},${my} ${x1},${my} ${x1},${y1}`, lx: (x0 + x1) / 2 + 6, ly: my - 2 };
}

function edgeSvg(layout: Layout, e: Edge, lanes: LoopLanes): string[] {
  const a = layout.boxes.get(e.from);
  const b = layout.boxes.get(e.to);
  if (!a || !b) return [];
  const { satellite } = layout;
  const isBack = layout.back.has(`${e.from}>${e.to}`) || b.layer <= a.layer;
  const sideways = satellite.get(e.to) === e.from || satellite.get(e.from) === e.to;
  const { d, lx, ly } = sideways
    ? sidewaysPath(a, b, satellite.get(e.to) === e.from)
    : isBack
      ? loopPath(layout, a, b, e.label, lanes)
      : forwardPath(a, b);
  const stroke = e.kind === 'catch' ? '#b3261e' : e.kind === 'next' ? '#4a5361' : '#5b3fa6';
  const dash = e.kind === 'catch' ? ' stroke-dasharray="5 4"' : e.kind === 'default' ? ' stroke-dasharray="2 3"' : '';
  const parts = [
    `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="1.5"${dash} marker-end="url(#arrow)"><title>${xml(`${e.from} → ${e.to}${e.label ? `: ${e.label}` : ''}`)}</title></path>`,
  ];
  if (e.label && e.kind !== 'catch')
    parts.push(`<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" font-size="11" fill="#4a5361">${xml(e.label)}</text>`);
  else if (e.label) parts.push(`<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" font-size="10" fill="#b3261e">${xml(e.label)}</text>`);
  return parts;
}

function boxSvg(b: Box): string {
  const p = paletteOf(b.state);
  const rx = b.state.Type === 'Choice' ? 22 : 8;
  return (
    `<g data-state="${xml(b.name)}"><title>${xml(b.state.Comment ?? b.name)}</title>` +
    `<rect x="${b.x.toFixed(1)}" y="${b.y}" width="${b.w.toFixed(1)}" height="${NODE_H}" rx="${rx}" fill="${p.fill}" stroke="${p.stroke}" stroke-width="${b.state.Type === 'Fail' ? 2.5 : 1.5}"/>` +
    `<text x="${centreX(b).toFixed(1)}" y="${b.y + 19}" text-anchor="middle" font-size="14" font-weight="600" fill="#1b1f24">${xml(b.name)}</text>` +
    `<text x="${centreX(b).toFixed(1)}" y="${b.y + 35}" text-anchor="middle" font-size="11" fill="#4a5361">${xml(stateKind(b.state))}</text></g>`
  );
}

function startMarkerSvg(start: Box): string {
  const y = start.y + NODE_H / 2;
  return `<circle cx="${start.x - 34}" cy="${y}" r="6" fill="#1b1f24"/><path d="M${start.x - 28},${y} L${start.x - 8},${y}" stroke="#1b1f24" stroke-width="1.5" marker-end="url(#arrow)"/>`;
}

const LEGEND = [
  ['task', 'Task'],
  ['wait', 'Task waiting for a callback'],
  ['choice', 'Choice'],
  ['fail', 'Fail'],
] as const;

/** The legend at `y`, then the notes below it. */
function legendSvg(y: number, notes: string[]): string[] {
  const parts: string[] = [];
  let x = MARGIN;
  for (const [key, label] of LEGEND) {
    const p = PALETTE[key]!;
    parts.push(
      `<rect x="${x}" y="${y - 11}" width="14" height="14" rx="3" fill="${p.fill}" stroke="${p.stroke}"/><text x="${x + 20}" y="${y}" font-size="12" fill="#1b1f24">${xml(label)}</text>`,
    );
    x += 20 + textWidth(label, 12) + 18;
  }
  notes.forEach((n, i) => {
    parts.push(`<text x="${MARGIN}" y="${y + 20 + i * 16}" font-size="12" fill="#b3261e">${xml(n)}</text>`);
  });
  return parts;
}

function svgDocument(title: string, width: number, height: number, parts: string[]): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-labelledby="diagram-title" font-family="-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif">
<title id="diagram-title">${xml(title)}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5361"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${MARGIN}" y="${MARGIN + 6}" font-size="15" font-weight="700" fill="#1b1f24">${xml(title)}</text>
${parts.join('\n')}
</svg>
`;
}

/** A standalone SVG of the top level of a definition (nested machines are drawn as one box). */
export function renderSvg(definition: unknown, options: DiagramOptions & { readonly title?: string } = {}): string {
  const machine = asMachine(definition);
  const layout = layoutOf(machine, options);
  const height = MARGIN + 40 + layout.layerCount * (NODE_H + LAYER_GAP) + 40;
  const lanes: LoopLanes = { count: 0, rightmost: 0 };
  const parts = layout.drawn.flatMap((e) => edgeSvg(layout, e, lanes));
  for (const b of layout.boxes.values()) parts.push(boxSvg(b));
  parts.push(startMarkerSvg(layout.boxes.get(machine.StartAt)!));
  const width = Math.max(layout.width, lanes.rightmost + MARGIN, 560);
  const notes = options.showCatchAll
    ? []
    : [...catchAllTargets(machine)].map(([target, from]) => `Any other error in ${from.length} states (after retries) → ${target}`);
  parts.push(...legendSvg(height - 30, notes));
  const comment = (definition as { Comment?: string }).Comment;
  // The name before the first colon of the definition's Comment, if it has one.
  const title = options.title ?? (comment ? `${comment.split(':')[0]!.trim()} state machine` : 'State machine');
  return svgDocument(title, width, height + notes.length * 16, parts);
}
