/**
 * Persistence for an engine with a state directory: state machines in one JSON file written
 * atomically; one append-only journal (JSON lines) per execution holding its start record and
 * the recorded effects a replay needs. Writes are batched per event-loop turn.
 *
 * The first line of a journal is the execution's start record; it carries `journalFormat`. Every
 * other line is `[key, value]`, where the key names the effect (see Run.key). A journal written in
 * another format is not replayed: its keys would match the wrong effects.
 */

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Journal } from './step';

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

/**
 * Format of the execution journals this engine writes and replays. Bump it whenever the meaning of
 * a journal changes: an effect key is added, renamed or removed, or a recorded value changes shape.
 * Format 1 had no version field and numbered effects by position.
 */
export const JOURNAL_FORMAT = 2;

export interface ExecutionMeta {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  stateMachineName: string;
  roleArn: string;
  definition: string;
  input: string;
  startMs: number;
  /** JOURNAL_FORMAT of the engine that wrote the journal (absent: format 1). */
  journalFormat?: number;
}

/** A stored execution this engine will not replay, and why. */
export interface UnreadableJournal {
  file: string;
  executionArn?: string;
  journalFormat: number;
  reason: string;
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
    j.writeMeta({ ...meta, journalFormat: JOURNAL_FORMAT });
    return j;
  }

  /**
   * Every stored execution in this engine's journal format: its start record and its journal
   * (tolerates a torn last line). Journals of another format are left untouched and listed in
   * `unreadable`.
   */
  loadExecutions(): { executions: Array<{ meta: ExecutionMeta; journal: FileJournal }>; unreadable: UnreadableJournal[] } {
    const out: Array<{ meta: ExecutionMeta; journal: FileJournal }> = [];
    const unreadable: UnreadableJournal[] = [];
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
      if (!meta) continue;
      const format = meta.journalFormat ?? 1;
      if (format !== JOURNAL_FORMAT) {
        unreadable.push({
          file,
          executionArn: meta.executionArn,
          journalFormat: format,
          reason: `journal format ${format}, this engine replays format ${JOURNAL_FORMAT}`,
        });
        continue;
      }
      out.push({ meta, journal: new FileJournal(this, file, records) });
    }
    out.sort((a, b) => a.meta.startMs - b.meta.startMs);
    return { executions: out, unreadable };
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
