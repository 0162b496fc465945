/**
 * Persistence for an engine with a state directory: state machines in one JSON file written
 * atomically; one append-only journal (JSON lines) per execution holding its start record and
 * the recorded effects a replay needs. Writes are batched per event-loop turn.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Journal } from './interpreter';

export interface StoredMachine {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: string;
  creationDate: number;
  updateDate?: number;
  loggingConfiguration?: unknown;
  tracingConfiguration?: unknown;
  revisionId: string;
  deleted?: boolean;
}

export interface ExecutionMeta {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  definition: string;
  input: string;
  startMs: number;
}

export class FileJournal implements Journal {
  private lines: string[] = [];
  constructor(
    private readonly store: FileStore,
    readonly file: string,
    private readonly records: Map<string, unknown> = new Map(),
  ) {}
  get(key: string): unknown {
    return this.records.get(key);
  }
  has(key: string): boolean {
    return this.records.has(key);
  }
  put(key: string, value: unknown): void {
    this.lines.push(JSON.stringify([key, value]));
    this.store.markDirty(this);
  }
  writeMeta(meta: ExecutionMeta): void {
    this.lines.push(JSON.stringify(meta));
    this.store.markDirty(this);
  }
  flush(): void {
    if (this.lines.length === 0) return;
    const data = `${this.lines.join('\n')}\n`;
    this.lines = [];
    fs.appendFileSync(this.file, data);
  }
}

export class FileStore {
  private dirty = new Set<FileJournal>();
  private flushScheduled = false;
  private readonly execDir: string;

  constructor(private readonly dir: string) {
    this.execDir = path.join(dir, 'executions');
    fs.mkdirSync(this.execDir, { recursive: true });
  }

  loadMachines(): StoredMachine[] {
    const f = path.join(this.dir, 'state-machines.json');
    if (!fs.existsSync(f)) return [];
    return JSON.parse(fs.readFileSync(f, 'utf8')) as StoredMachine[];
  }

  saveMachines(ms: StoredMachine[]): void {
    const f = path.join(this.dir, 'state-machines.json');
    const tmp = `${f}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(ms));
    fs.renameSync(tmp, f); // atomic replace: never a half-written file
  }

  newJournal(meta: ExecutionMeta): FileJournal {
    const name = createHash('sha256').update(meta.executionArn).digest('hex').slice(0, 32);
    const j = new FileJournal(this, path.join(this.execDir, `${name}.jsonl`));
    j.writeMeta(meta);
    return j;
  }

  /** Every stored execution: its start record and its journal (tolerates a torn last line). */
  loadExecutions(): Array<{ meta: ExecutionMeta; journal: FileJournal }> {
    const out: Array<{ meta: ExecutionMeta; journal: FileJournal }> = [];
    for (const f of fs.readdirSync(this.execDir)) {
      if (!f.endsWith('.jsonl')) continue;
      const file = path.join(this.execDir, f);
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      let meta: ExecutionMeta | undefined;
      const records = new Map<string, unknown>();
      for (const line of lines) {
        if (!line) continue;
        let v: unknown;
        try {
          v = JSON.parse(line);
        } catch {
          continue; // torn write at a crash: the effect re-runs
        }
        if (Array.isArray(v)) records.set(v[0] as string, v[1]);
        else if (!meta) meta = v as ExecutionMeta;
      }
      if (meta) out.push({ meta, journal: new FileJournal(this, file, records) });
    }
    out.sort((a, b) => a.meta.startMs - b.meta.startMs);
    return out;
  }

  markDirty(j: FileJournal): void {
    this.dirty.add(j);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    const ds = [...this.dirty];
    this.dirty.clear();
    for (const j of ds) j.flush();
  }
}
