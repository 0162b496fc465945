/**
 * The yearly analysis (H-36) end to end: complaints run through the real loop on the virtual
 * clock (the synthesized workflow on the local engine, DynamoDB Local, local SES, the real
 * handlers), `npm run analysis`'s code exports them from DynamoDB Local and runs the shared SQL
 * on DuckDB. Thousands more complaints, built with the same domain functions and written by the
 * same record writer, join them in the export directory. Every named query's answer is checked
 * against values computed here, in TypeScript, from the records.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQueries } from '../../analysis/dialect';
import { type MailIndex, mailIndex } from '../../bench/scenarios';
import { ComplaintStore } from '../../functions/adapters/complaint-store';
import { analysisRecordsOf } from '../../functions/app/tasks/analysis-export';
import { type AnalysisRecord, toAnalysisRecord, toJsonLine } from '../../functions/domain/analysis';
import { containsPersonalData } from '../../functions/domain/masking';
import { runAnalysis } from '../../local/analysis';
import { type Cell, type QueryResult, runAnalysisQueries } from '../../local/analysis-duckdb';
import { findComplaintTable, scanComplaints } from '../../local/analysis-export';
import { LOCAL_REGION } from '../../local/services/aws-lite';
import { LOCAL_CREDENTIALS } from '../../local/services/dynamodb-local';
import { generateComplaints } from './analysis-data';
import { attribution, type Complaint, type Harness, MINUTE, resolution, startHarness } from './harness';

/** Complaints through the real loop; `ANALYSIS_LOOP_COMPLAINTS` runs more (a multiple of WAVE). */
const REAL = Number(process.env.ANALYSIS_LOOP_COMPLAINTS ?? 96);
/** Complaints taken in together and driven step by step concurrently. */
const WAVE = 8;
const GENERATED = 2500;
const YEAR = 2026;

/** What happens to each complaint through the loop, decided up front so the test knows the counts. */
interface Planned {
  readonly i: number;
  /** First response 25 minutes after intake: H-01 met late (the whole wave waits). */
  readonly late: boolean;
  /** Dispatched and left open. */
  readonly open: boolean;
  /** Survey score: 5 satisfied, 3 dissatisfied. */
  readonly score: '5' | '3';
}
const PLAN: readonly Planned[] = Array.from({ length: REAL }, (_, i) => ({
  i,
  late: Math.floor(i / WAVE) % 4 === 3,
  open: i % 6 === 5,
  score: i % 4 === 3 ? '3' : '5',
}));
const PLANNED_OPEN = PLAN.filter((p) => p.open).length;
const PLANNED_LATE = PLAN.filter((p) => p.late).length;

let h: Harness;
let out: string;
let records: AnalysisRecord[];
/** The ids of the complaints that went through the loop (the rest were generated). */
let loopIds: Set<string>;
let results: Map<string, QueryResult>;
let printed = '';

beforeAll(
  async () => {
    if (REAL <= 0 || REAL % WAVE !== 0) throw new Error(`ANALYSIS_LOOP_COMPLAINTS: expected a positive multiple of ${WAVE}, got ${REAL}`);
    h = await startHarness();
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'complaint-loop-analysis-'));
    const mail = mailIndex();
    for (let w = 0; w < REAL / WAVE; w++) await runWave(PLAN.slice(w * WAVE, (w + 1) * WAVE), mail);
    // The command's own path: export from DynamoDB Local, run every query, print, write CSV.
    await runAnalysis({ year: YEAR, endpoint: h.stack.urls.dynamodb, out }, (text) => {
      printed += `${text}\n`;
    });
    const generated = generateComplaints(GENERATED).map((g) => toAnalysisRecord(g.complaint, g.auditCounts));
    // An older version of some complaints, as a re-export would leave: the highest version must win.
    const stale = generated
      .slice(0, 40)
      .map((r) => ({ ...r, version: r.version - 1, status: 'open', survey_satisfied: false, channel: 'stale' }));
    fs.writeFileSync(path.join(out, 'records', 'generated.jsonl'), [...generated, ...stale].map(toJsonLine).join(''));
    // The command's output, kept for the docs' sample (test/.artifacts is not committed).
    fs.mkdirSync(path.join('test', '.artifacts'), { recursive: true });
    fs.writeFileSync(path.join('test', '.artifacts', 'analysis-output.txt'), printed);
    const exported = fs
      .readFileSync(path.join(out, 'records', `complaints-${YEAR}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AnalysisRecord);
    loopIds = new Set(exported.map((r) => r.id));
    records = latestOfYear([...exported, ...generated, ...stale]);
    results = new Map((await runAnalysisQueries(path.join(out, 'records'), YEAR)).map((r) => [r.name, r]));
  },
  Math.max(600_000, REAL * 3_000),
);

afterAll(async () => {
  await h?.stop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const channels = ['phone', 'online', 'on-site'];
const services = ['network', 'data', 'device'];

/**
 * One wave through the loop, each step for all its complaints at once: most answered (some
 * dissatisfied, some acknowledged late), some left open, customers complaining twice.
 */
async function runWave(wave: readonly Planned[], mail: MailIndex): Promise<void> {
  const complaints = await Promise.all(
    wave.map(({ i }) => h.intake({ customerId: `real-cust-${Math.floor(i / 2)}`, channel: channels[i % 3], serviceType: services[i % 3] })),
  );
  if (wave.some((p) => p.late)) await h.advance(25 * MINUTE); // H-01 met late
  const step = async (planned: readonly Planned[], run: (c: Complaint, p: Planned) => Promise<number>) => {
    const statuses = await Promise.all(planned.map((p) => run(complaints[p.i % WAVE]!, p)));
    expect(
      statuses.every((s) => s === 200),
      `statuses ${statuses.join(',')}`,
    ).toBe(true);
  };
  const event = (type: string, fields?: Record<string, unknown>) => async (c: Complaint) => (await c.event(type, fields)).status;
  await step(wave, event('acknowledged'));
  await step(wave, (c, p) => event('dispatched', { owner: 'li.wei', team: p.i % 2 ? 'network-operations' : 'customer-service' })(c));
  const handled = wave.filter((p) => !p.open);
  await step(handled, event('investigated', { attribution }));
  await step(
    handled,
    event('responded', {
      opinion: '更换板卡 / replace the card',
      measures: '更换板卡 / replace the card',
      timetable: '今天 18:00 前 / today by 18:00',
      followUpOwner: 'li.wei',
    }),
  );
  await step(handled, event('resolved', { resolution }));
  await step(handled, (c, p) => answerSurvey(mail.surveyLink(c.id), p.score));
}

async function answerSurvey(link: string | undefined, score: string): Promise<number> {
  if (!link) throw new Error('no result notice with a survey link');
  const res = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ solved: 'yes', score }).toString(),
  });
  await h.stack.engine.settle();
  return res.status;
}

// ---- the values, computed without SQL ----

function latestOfYear(all: readonly AnalysisRecord[]): AnalysisRecord[] {
  const byId = new Map<string, AnalysisRecord>();
  for (const r of all) if (!byId.has(r.id) || byId.get(r.id)!.version < r.version) byId.set(r.id, r);
  return [...byId.values()].filter((r) => r.received_year === YEAR);
}

const count = <T>(xs: readonly T[], p: (x: T) => boolean) => xs.filter(p).length;
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const average = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
const minutes = (ms: number | null) => (ms === null ? null : ms / 60_000);
const clocksOf = (rs: readonly AnalysisRecord[]) =>
  rs.flatMap((r) => r.clocks.map((k) => ({ ...k, id: r.id, team: r.team, severity: r.severity })));
const groupBy = <T>(xs: readonly T[], key: (x: T) => string) => {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
};

function rowsOf(name: string): Record<string, Cell>[] {
  const r = results.get(name);
  if (!r) throw new Error(`no result for ${name}`);
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i] ?? null])));
}

/** Rows equal, counts exactly and rates and averages to the rounding the SQL applies. */
function expectRows(name: string, expected: Record<string, Cell>[]): void {
  const actual = rowsOf(name);
  expect(actual.length, `${name}: rows`).toBe(expected.length);
  expected.forEach((want, i) => {
    for (const [col, value] of Object.entries(want)) {
      const got = actual[i]![col];
      if (typeof value === 'number' && !Number.isInteger(value)) expect(got, `${name}[${i}].${col}`).toBeCloseTo(value, 2);
      else expect(got, `${name}[${i}].${col}`).toEqual(value);
    }
  });
}

describe('the yearly analysis on DuckDB over the export (H-36)', () => {
  it('exports every complaint of the loop, with no contact details, and the command prints each query and writes its CSV', () => {
    const text = fs.readFileSync(path.join(out, 'records', `complaints-${YEAR}.jsonl`), 'utf8');
    expect(text.trim().split('\n')).toHaveLength(REAL);
    expect(text).not.toMatch(/138 0013 8000|@example\.net/);
    // customer_key is a SHA-256 in hex, whose digit runs can look like phone numbers: checked apart.
    expect(text.match(/"customer_key":"[^"]*"/g)?.every((k) => /^"customer_key":"[0-9a-f]{64}"$/.test(k))).toBe(true);
    expect(containsPersonalData(text.replace(/"customer_key":"[0-9a-f]{64}"/g, '"customer_key":""'))).toBe(false);
    expect(printed).toContain(`exported ${REAL} complaints received in ${YEAR}`);
    for (const q of loadQueries()) {
      expect(printed).toContain(`${q.name}: ${q.description}`);
      expect(fs.readFileSync(path.join(out, `${q.name}.csv`), 'utf8').split('\r\n')[0]).toBe(results.get(q.name)!.columns.join(','));
    }
  });

  it('runs every SQL file', () => {
    expect([...results.keys()].sort()).toEqual(loadQueries().map((q) => q.name));
    expect(records.length).toBeGreaterThan(2000);
  });

  it('H-40 satisfaction against 95%', () => {
    const answered = count(records, (r) => r.survey_answered);
    const satisfied = count(records, (r) => r.survey_satisfied === true);
    expectRows('satisfaction', [
      {
        answered,
        satisfied,
        no_answer: count(records, (r) => r.survey_no_answer),
        satisfaction_rate: ratio(satisfied, answered),
        meets_target: satisfied >= 0.95 * answered,
      },
    ]);
  });

  it('H-01 first response against 20 minutes', () => {
    const ms = records.flatMap((r) => (r.first_response_ms === null ? [] : [r.first_response_ms]));
    const within = count(ms, (x) => x <= 20 * MINUTE);
    expectRows('first_response', [
      {
        responded: ms.length,
        average_minutes: minutes(average(ms)),
        within_target: within,
        within_target_rate: ratio(within, ms.length),
        target_minutes: 20,
      },
    ]);
  });

  it('H-06 average handling response against 45 minutes', () => {
    const ms = records.flatMap((r) => (r.handling_response_ms === null ? [] : [r.handling_response_ms]));
    const avg = average(ms)!;
    expectRows('handling_response', [
      {
        handled: ms.length,
        average_minutes: minutes(avg),
        within_target: count(ms, (x) => x <= 45 * MINUTE),
        average_meets_target: avg <= 45 * MINUTE,
      },
    ]);
  });

  it('compliance per clock', () => {
    expectRows(
      'clock_compliance',
      groupBy(clocksOf(records), (k) => k.clock_id).map(([clock_id, ks]) => {
        const met = count(ks, (k) => k.status === 'met');
        return {
          clock_id,
          clocks: ks.length,
          met,
          met_late: count(ks, (k) => k.status === 'met-late'),
          breached: count(ks, (k) => k.status === 'breached'),
          running: count(ks, (k) => k.status === 'running'),
          compliance_rate: ratio(
            met,
            count(ks, (k) => k.status !== 'running'),
          ),
        };
      }),
    );
  });

  it('met-late and breach counts per team, clock and severity', () => {
    const slipped = clocksOf(records).filter((k) => k.status === 'met-late' || k.status === 'breached');
    expectRows(
      'late_and_breached',
      groupBy(slipped, (k) => `${k.team ?? 'unassigned'}\u0000${k.clock_id}\u0000${k.severity ?? 'unclassified'}`).map(([key, ks]) => {
        const [team, clock_id, severity] = key.split('\u0000');
        return {
          team,
          clock_id,
          severity,
          met_late: count(ks, (k) => k.status === 'met-late'),
          breached: count(ks, (k) => k.status === 'breached'),
        };
      }),
    );
  });

  it('H-34 reopen rate', () => {
    const archived = records.filter((r) => r.archived_at !== null);
    const reopened = count(archived, (r) => r.reopen_count > 0);
    expect(reopened).toBeGreaterThan(0);
    expectRows('reopen_rate', [
      {
        archived: archived.length,
        reopened,
        reopens: archived.reduce((s, r) => s + r.reopen_count, 0),
        reopen_rate: ratio(reopened, archived.length),
      },
    ]);
  });

  it('H-25 repeat complaints per customer', () => {
    const repeaters = groupBy(records, (r) => r.customer_key)
      .filter(([, rs]) => rs.length >= 2)
      .map(([customer_key, rs]) => ({
        customer_key,
        complaints: rs.length,
        first_received_at: rs.map((r) => r.received_at).sort()[0]!,
        last_received_at: rs
          .map((r) => r.received_at)
          .sort()
          .at(-1)!,
      }))
      .sort((a, b) => b.complaints - a.complaints || (a.customer_key < b.customer_key ? -1 : 1));
    expect(repeaters.length).toBeGreaterThan(REAL / 2 - 1);
    expectRows('repeat_complaints', repeaters);
  });

  it('escalations per team and level', () => {
    const escalations = records.flatMap((r) => r.escalations.map((e) => ({ ...e, id: r.id, team: r.team ?? 'unassigned' })));
    expect(escalations.length).toBeGreaterThan(0);
    expectRows(
      'escalations',
      groupBy(escalations, (e) => `${e.team}\u0000${String(e.level).padStart(4, '0')}`).map(([, es]) => ({
        team: es[0]!.team,
        level: es[0]!.level,
        escalations: es.length,
        acknowledged: count(es, (e) => e.acked),
        complaints: new Set(es.map((e) => e.id)).size,
      })),
    );
  });

  it('complaints per channel and service type (a stale version does not count)', () => {
    expectRows(
      'channel_service',
      groupBy(records, (r) => `${r.channel}\u0000${r.service_type}`).map(([key, rs]) => {
        const [channel, service_type] = key.split('\u0000');
        return { channel, service_type, complaints: rs.length };
      }),
    );
    expect(rowsOf('channel_service').some((row) => row.channel === 'stale')).toBe(false);
  });

  it('monthly trends', () => {
    const months = groupBy(records, (r) => r.received_month);
    expect(months.map(([m]) => m)).toEqual(Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`));
    expectRows(
      'monthly_trends',
      months.map(([month, rs]) => ({
        month,
        complaints: rs.length,
        archived: count(rs, (r) => r.archived_at !== null),
        satisfaction_rate: ratio(
          count(rs, (r) => r.survey_satisfied === true),
          count(rs, (r) => r.survey_answered),
        ),
        first_response_minutes: minutes(average(rs.flatMap((r) => (r.first_response_ms === null ? [] : [r.first_response_ms])))),
        with_breach: count(rs, (r) => r.clocks.some((k) => k.status === 'breached')),
        reopened: count(rs, (r) => r.reopen_count > 0),
      })),
    );
  });

  it('H-36 the yearly report in one row', () => {
    const clocks = clocksOf(records);
    const met = count(clocks, (k) => k.status === 'met');
    const late = count(clocks, (k) => k.status === 'met-late');
    const breached = count(clocks, (k) => k.status === 'breached');
    const first = records.flatMap((r) => (r.first_response_ms === null ? [] : [r.first_response_ms]));
    const handling = records.flatMap((r) => (r.handling_response_ms === null ? [] : [r.handling_response_ms]));
    const archived = records.filter((r) => r.archived_at !== null);
    expectRows('yearly_report', [
      {
        complaints: records.length,
        closed: count(records, (r) => r.status === 'closed'),
        failed: count(records, (r) => r.status === 'failed'),
        still_open: records.length - archived.length,
        satisfaction_rate: ratio(
          count(records, (r) => r.survey_satisfied === true),
          count(records, (r) => r.survey_answered),
        ),
        first_response_minutes: minutes(average(first)),
        first_response_within_target_rate: ratio(
          count(first, (x) => x <= 20 * MINUTE),
          first.length,
        ),
        handling_response_minutes: minutes(average(handling)),
        clock_compliance_rate: ratio(met, met + late + breached),
        clocks_met_late: late,
        clocks_breached: breached,
        reopen_rate: ratio(
          count(archived, (r) => r.reopen_count > 0),
          archived.length,
        ),
        repeat_customers: groupBy(records, (r) => r.customer_key).filter(([, rs]) => rs.length >= 2).length,
        escalations: records.reduce((s, r) => s + r.escalations.length, 0),
        escalated_complaints: count(records, (r) => r.escalations.length > 0),
      },
    ]);
  });

  it('the complaints through the loop are in the answers: their month and their H-01 met late', () => {
    const real = records.filter((r) => loopIds.has(r.id));
    expect(real).toHaveLength(REAL);
    expect(count(real, (r) => r.status === 'closed')).toBe(REAL - PLANNED_OPEN);
    expect(count(real, (r) => r.clocks.some((k) => k.clock_id === 'H-01' && k.status === 'met-late'))).toBe(PLANNED_LATE);
    expect(real.every((r) => r.received_month === '2026-03' && r.audit_events > 0)).toBe(true);
  });

  it('the AWS export (pipe enrichment over stream images) answers the same records for the archived complaints, and nothing for the rest', async () => {
    const client = new DynamoDBClient({ endpoint: h.stack.urls.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const table = await findComplaintTable(client);
      // Stream records carry the raw item as NewImage (DynamoDB JSON): the table's items as they are.
      const items: Record<string, AttributeValue>[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      const stream = items.map((NewImage) => ({ eventName: 'MODIFY', dynamodb: { NewImage } }));
      const store = new ComplaintStore({ tableName: table, client: DynamoDBDocumentClient.from(client) });
      const exported = await analysisRecordsOf(store, stream, 'Asia/Shanghai');
      const local = records.filter((r) => loopIds.has(r.id) && r.archived_at !== null);
      expect(exported.length).toBe(REAL - PLANNED_OPEN);
      expect([...exported].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...local].sort((a, b) => a.id.localeCompare(b.id)));
    } finally {
      client.destroy();
    }
  });

  it('fails loudly on a table that is not the complaint table', async () => {
    const client = new DynamoDBClient({ endpoint: h.stack.urls.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    try {
      const table = await findComplaintTable(client);
      expect((await scanComplaints(client, table)).length).toBe(REAL);
      await expect(scanComplaints(client, 'no-such-table')).rejects.toThrow(/non-existent table|not found|ResourceNotFound/i);
    } finally {
      client.destroy();
    }
  });
});
