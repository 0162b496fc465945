/**
 * Where this process's CPU goes: a sampling profile (node:inspector's Profiler) over a stretch
 * of work, with self time grouped by what caused it. A sample is charged to the nearest frame
 * in a package or project file above it, so Node's own http, stream and crypto code counts for
 * the SDK or the local service that called it; JSON and garbage collection are counted apart.
 */
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import { round } from './stats';

export interface CpuBreakdown {
  /** Profiled CPU milliseconds (idle excluded). */
  totalMs: number;
  /** Milliseconds per group, largest first. */
  groups: Array<{ group: string; ms: number; share: number }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const GROUPS: Array<[RegExp, string]> = [
  [/@smithy\/signature-v4|@aws-crypto|@smithy\/hash-node|@smithy\/util-hex/, 'AWS SDK: signing and hashing'],
  [/node_modules\/(@aws-sdk|@smithy)\//, 'AWS SDK: middleware, serialization, HTTP'],
  [/@aws-lambda-powertools\/logger/, 'logging (Powertools logger)'],
  [/@aws-lambda-powertools\//, 'Powertools metrics and commons'],
  [/node_modules\/zod\//, 'zod'],
  [/node_modules\/jsonata\//, 'JSONata'],
  [/\/local\/engine\//, 'local engine (Step Functions)'],
  [/\/local\//, 'local runtime (API server, aws-lite, SES)'],
  [/\/functions\//, 'project code (functions/)'],
  [/\/bench\/|\/test\//, 'bench driver'],
  [/node_modules\//, 'other packages'],
];

function groupOfUrl(url: string): string | undefined {
  if (!url || url.startsWith('node:')) return undefined;
  for (const [re, group] of GROUPS) if (re.test(url)) return group;
  return 'other packages';
}

/** Groups self time per sample (see the module comment). */
export function breakDown(profile: Profile): CpuBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const groupOf = (id: number): string => {
    const own = byId.get(id)!.callFrame;
    if (own.functionName === '(garbage collector)') return 'garbage collection';
    if (own.functionName === '(idle)') return '(idle)';
    if (!own.url && /^(parse|stringify)$/.test(own.functionName)) return 'JSON parse/stringify';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const group = groupOfUrl(byId.get(at)!.callFrame.url);
      if (group) return group;
    }
    return 'Node and V8 (no package above)';
  };
  const ms = new Map<string, number>();
  const cache = new Map<number, string>();
  profile.samples.forEach((id, i) => {
    let group = cache.get(id);
    if (group === undefined) cache.set(id, (group = groupOf(id)));
    ms.set(group, (ms.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  ms.delete('(idle)');
  const totalMs = [...ms.values()].reduce((a, x) => a + x, 0);
  const groups = [...ms.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([group, x]) => ({ group, ms: round(x, 0), share: round(x / totalMs, 3) }));
  return { totalMs: round(totalMs, 0), groups };
}

/** Runs `work` under the sampling profiler and answers its result with the breakdown. */
export async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuBreakdown }> {
  const session = new Session();
  session.connect();
  const post = <R>(method: string, params?: object) =>
    new Promise<R>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as R))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 1000 });
  await post('Profiler.start');
  try {
    const result = await work();
    const { profile } = await post<{ profile: Profile }>('Profiler.stop');
    // For a closer look (Chrome DevTools or any .cpuprofile viewer).
    if (process.env.BENCH_CPU_PROFILE_FILE) fs.writeFileSync(process.env.BENCH_CPU_PROFILE_FILE, JSON.stringify(profile));
    return { result, cpu: breakDown(profile) };
  } finally {
    session.disconnect();
  }
}
