import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { basePath, type ConsoleDeps, type ConsoleStore, consoleHandler } from '../../../functions/app/console/console';
import type { ConsoleAckForm } from '../../../functions/app/console/console-ack';
import { computeQuality } from '../../../functions/app/console/console-quality';
import type { Improvement, StoredComplaint } from '../../../functions/app/ports';
import type { Viewer } from '../../../functions/domain/access';
import { addCounters, type Counters, qualityContribution } from '../../../functions/domain/quality';
import { DEFAULT_SLA_POLICY as policy } from '../../../functions/domain/sla-policy';
import type { AuditEvent, Complaint } from '../../../functions/domain/types';
import { buildComplaintLoopDefinition } from '../../../workflows/complaint-loop';
import { renderSvg } from '../../../workflows/diagram';
import { after, MIN, registered } from '../domain-fixtures';

const workflowSvg = () => renderSvg(buildComplaintLoopDefinition());

const T0 = '2026-06-01T01:00:00.000Z';

/** An in-memory ConsoleStore recording what the console asked for (the DynamoDB one runs in the browser test). */
function memoryStore(open: Complaint[], closed: Complaint[] = [], history: AuditEvent[] = [], improvements: Improvement[] = []) {
  const calls: string[] = [];
  const wrap = (c: Complaint): StoredComplaint => ({ complaint: c, nextDueAt: null });
  const store: ConsoleStore = {
    get: async (id) => [...open, ...closed].map(wrap).find((s) => s.complaint.id === id),
    history: async () => history,
    listOpen: async (teams) => {
      calls.push(`open:${teams.join(',')}`);
      return { items: open.filter((c) => teams.includes((c.team ?? c.classification?.team)!)).map(wrap), truncated: false };
    },
    readQuality: async (from, to, teams) => {
      calls.push(`quality:${from}/${to}${teams ? `:${teams.join(',')}` : ''}`);
      const counters = closed.reduce<Counters>((sum, c) => addCounters(sum, qualityContribution(c)), {});
      return { counters, byTeam: computeQuality(closed, policy).byTeam, improvements };
    },
  };
  return { store, calls };
}

/** What the console needs besides its store; acknowledgements are recorded, not applied. */
function depsFor(store: ConsoleStore) {
  const acknowledged: { id: string; form: ConsoleAckForm; viewer: Viewer }[] = [];
  const deps: ConsoleDeps = {
    store,
    policy,
    workflowSvg,
    acknowledge: async (id, form, viewer) => {
      acknowledged.push({ id, form, viewer });
      return 'acknowledged';
    },
  };
  return Object.assign(deps, { acknowledged });
}

/** The authorizer's context for a signed-in person (console-authorizer.ts), as API Gateway passes it on. */
const as = (name: string, ...groups: string[]) => ({ viewerId: `sub-${name}`, viewerName: name, groups: groups.join(' ') });
const MANAGER = as('manager@carrier.example', 'management');

function event(
  resource: string,
  path: string,
  opts: {
    query?: Record<string, string>;
    id?: string;
    method?: string;
    nowMs?: number;
    stage?: string;
    authorizer?: Record<string, string> | null;
    form?: string;
  } = {},
) {
  return {
    resource,
    path,
    httpMethod: opts.method ?? 'GET',
    headers: opts.form === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: opts.form ?? null,
    isBase64Encoded: false,
    queryStringParameters: opts.query ?? null,
    pathParameters: opts.id ? { id: opts.id } : null,
    requestContext: {
      path: `${opts.stage ?? '/v1'}${path}`,
      requestTimeEpoch: opts.nowMs ?? Date.parse(after(T0, 16 * MIN)),
      authorizer: opts.authorizer === undefined ? MANAGER : opts.authorizer,
    },
  } as unknown as APIGatewayProxyEvent;
}

const complaint = registered(T0, { input: { description: '我的电话是13812345678 <script>alert(1)</script>' } });

describe('console handler', () => {
  it('lists open complaints with one bar per active clock, links keeping the stage prefix', async () => {
    const { store, calls } = memoryStore([complaint]);
    const res = await consoleHandler(depsFor(store))(event('/console', '/console'));
    expect(res.statusCode).toBe(200);
    expect(res.headers!['Content-Type']).toBe('text/html; charset=utf-8');
    expect(res.headers!['Content-Security-Policy']).toContain("default-src 'none'");
    expect(calls).toEqual(['open:network-operations,customer-service']);
    expect(res.body).toContain('href="/v1/console/complaints/c-test0001"');
    // 16 of H-01's 20 minutes used: 0.8, on time until clock-tick records the warning.
    expect(res.body).toMatch(/data-clock="H-01" data-state="on-time" data-fill="0\.8000"/);
    expect(res.body).toContain('<svg');
    // No customer data in the list.
    expect(res.body).not.toContain('13812345678');
  });

  it('queries only the chosen team and keeps the filters selected', async () => {
    const { store, calls } = memoryStore([complaint]);
    const res = await consoleHandler(depsFor(store))(
      event('/console', '/console', { query: { team: 'customer-service', severity: 'urgent' } }),
    );
    expect(calls).toEqual(['open:customer-service']);
    expect(res.body).toContain('<option value="urgent" selected>');
    expect(res.body).toContain('No open complaint matches');
  });

  it('shows a complaint with masked contact, escaped text and its timeline', async () => {
    const history: AuditEvent[] = [
      { at: T0, type: 'registered', actor: 'system', detail: {} },
      { at: after(T0, 5 * MIN), type: 'note', actor: 'agent-7', detail: { text: 'call back on 13812345678' } },
    ];
    const { store } = memoryStore([complaint], [], history);
    const res = await consoleHandler(depsFor(store))(
      event('/console/complaints/{id}', '/console/complaints/c-test0001', { id: 'c-test0001' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&lt;script&gt;');
    expect(res.body).toMatch(/<li><strong>registered<\/strong>[\s\S]*<li><strong>note<\/strong>/);
    expect(res.body).toContain('data-clock="H-14"');
    // H-14, H-34: the operator's time per handling cycle and end to end.
    expect(res.body).toMatch(/Handling cycles[\s\S]*<tr data-cycle="1"><td>1 \(current\)/);
    expect(res.body).toMatch(/End to end \(receipt → now\)/);
  });

  it("12.1: shows that the customer's email was refused, and when", async () => {
    const refused: Complaint = {
      ...complaint,
      emailUndeliverable: { at: after(T0, MIN), notice: 'intake-acknowledgment', reason: 'MessageRejected' },
    };
    const { store } = memoryStore([refused]);
    const res = await consoleHandler(depsFor(store))(
      event('/console/complaints/{id}', '/console/complaints/c-test0001', { id: 'c-test0001' }),
    );
    expect(res.body).toContain('邮件无法送达 Email refused');
    expect(res.body).toContain('MessageRejected · intake-acknowledgment · 2026-06-01 09:01');
    const plain = await consoleHandler(depsFor(memoryStore([complaint]).store))(
      event('/console/complaints/{id}', '/console/complaints/c-test0001', { id: 'c-test0001' }),
    );
    expect(plain.body).not.toContain('Email refused');
  });

  it('draws the quality view for the chosen period', async () => {
    const closed: Complaint = {
      ...complaint,
      id: 'c-closed01',
      status: 'closed',
      points: { ...complaint.points, closed: after(T0, 60 * MIN) },
      survey: { outcome: 'solved', solved: true, score: 5, answeredAt: after(T0, 50 * MIN) },
      clocks: Object.fromEntries(
        Object.entries(complaint.clocks).map(([k, s]) => [k, { ...s, status: 'met' as const, metAt: after(T0, 10 * MIN) }]),
      ),
    };
    const measure: Improvement = {
      at: after(T0, 2 * 60 * MIN),
      complaintId: 'c-closed01',
      actor: 'zhang.min',
      measure: '回访脚本加入 <b>断网</b> 说明，联系 13812345678',
      category: 'script',
    };
    const { store, calls } = memoryStore([], [closed], [], [measure]);
    const res = await consoleHandler(depsFor(store))(
      event('/console/quality', '/console/quality', { query: { from: '2026-06-01', to: '2026-06-30' } }),
    );
    expect(res.statusCode).toBe(200);
    // Local dates: the store reads the day aggregates of the period, never the complaints.
    expect(calls).toEqual(['quality:2026-06-01/2026-06-30']);
    expect(res.body).toContain('1 complaints closed and 0 failed 2026-06-01 – 2026-06-30');
    expect(res.body).toContain('data-metric="handling-response"');
    // H-36: the improvement measure with who recorded it, escaped and with the phone number redacted.
    expect(res.body).toMatch(/<tr data-improvement="c-closed01">[\s\S]*?zhang\.min[\s\S]*?script[\s\S]*?&lt;b&gt;/);
    expect(res.body).not.toContain('13812345678');
    expect(res.body).toContain('1 / 1 answered surveys satisfied');
    expect(res.body).toContain('10.0 min');
    expect(res.body).toMatch(/<tr data-clock="H-01">[\s\S]*?100%<\/td>/);
  });

  it('draws the deployed state machine, every state of the definition on it', async () => {
    const { store } = memoryStore([]);
    const res = await consoleHandler(depsFor(store))(event('/console/workflow', '/console/workflow'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<svg');
    const states = Object.keys((buildComplaintLoopDefinition() as { States: Record<string, unknown> }).States);
    expect(states.length).toBeGreaterThan(5);
    for (const name of states) expect(res.body, name).toContain(name);
  });

  it('fails with 404 pages for an unknown or malformed complaint id', async () => {
    const { store } = memoryStore([complaint]);
    const handler = consoleHandler(depsFor(store));
    expect((await handler(event('/console/complaints/{id}', '/console/complaints/c-nothere1', { id: 'c-nothere1' }))).statusCode).toBe(404);
    expect((await handler(event('/console/complaints/{id}', '/console/complaints/..', { id: '../x' }))).statusCode).toBe(404);
  });

  it('fails with 400 pages naming a bad filter or period', async () => {
    const { store } = memoryStore([complaint]);
    const handler = consoleHandler(depsFor(store));
    const bad = await handler(event('/console', '/console', { query: { severity: 'huge' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('severity');
    const period = await handler(event('/console/quality', '/console/quality', { query: { from: '2026-07-01', to: '2026-06-01' } }));
    expect(period.statusCode).toBe(400);
  });

  it('fails with 405 on anything but GET, and 503 when the table is throttled', async () => {
    const { store } = memoryStore([complaint]);
    const post = await consoleHandler(depsFor(store))(event('/console', '/console', { method: 'POST' }));
    expect(post.statusCode).toBe(405);
    expect(post.headers!.Allow).toBe('GET, HEAD');
    const get = await consoleHandler(depsFor(store))(
      event('/console/complaints/{id}/acknowledge', `/console/complaints/${complaint.id}/acknowledge`, { id: complaint.id }),
    );
    expect(get.headers!.Allow).toBe('POST');
    const throttled: ConsoleStore = {
      ...store,
      listOpen: async () => {
        throw Object.assign(new Error('slow down'), { name: 'ThrottlingException' });
      },
    };
    const res = await consoleHandler(depsFor(throttled))(event('/console', '/console'));
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('slow down');
  });

  describe('what each signed-in person sees', () => {
    const team = (complaint.team ?? complaint.classification?.team)!;
    const otherTeam = team === 'customer-service' ? 'network-operations' : 'customer-service';
    const ownSupervisor = as('own-lead@carrier.example', `${team}:supervisor`);
    const otherSupervisor = as('other-lead@carrier.example', `${otherTeam}:supervisor`);

    it("lists only the supervisor's own team, and counts quality for it alone", async () => {
      const { store, calls } = memoryStore([complaint]);
      const handler = consoleHandler(depsFor(store));
      const own = await handler(event('/console', '/console', { authorizer: ownSupervisor }));
      expect(own.body).toContain(complaint.id);
      expect(own.body).toContain('own-lead@carrier.example');
      const other = await handler(event('/console', '/console', { authorizer: otherSupervisor }));
      expect(other.body).not.toContain(complaint.id);
      await handler(event('/console/quality', '/console/quality', { authorizer: otherSupervisor }));
      expect(calls).toEqual([`open:${team}`, `open:${otherTeam}`, expect.stringMatching(new RegExp(`^quality:.*:${otherTeam}$`))]);
    });

    it("fails with 403 when a supervisor opens another team's complaint", async () => {
      const { store } = memoryStore([complaint]);
      const page = (authorizer: Record<string, string>) =>
        consoleHandler(depsFor(store))(
          event('/console/complaints/{id}', `/console/complaints/${complaint.id}`, { id: complaint.id, authorizer }),
        );
      expect((await page(ownSupervisor)).statusCode).toBe(200);
      const refused = await page(otherSupervisor);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('13812345678');
      expect((await page(as('ops@carrier.example', 'operations'))).statusCode).toBe(200);
      expect((await page(as('nobody@carrier.example'))).statusCode).toBe(403);
    });

    it('fails with 401 asking to sign in when nothing authorized the request', async () => {
      const { store } = memoryStore([complaint]);
      const res = await consoleHandler(depsFor(store))(event('/console', '/console', { authorizer: null }));
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('/v1/console/sign-in');
    });

    it('treats an IAM caller as management in a stack without sign-in (the console behind SigV4)', async () => {
      const { store } = memoryStore([complaint]);
      const signed = event('/console', '/console', { authorizer: null });
      (signed.requestContext as { identity?: unknown }).identity = { userArn: 'arn:aws:iam::123456789012:user/cs-ops' };
      const res = await consoleHandler(depsFor(store))(signed);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(complaint.id);
      expect(res.body).toContain('arn:aws:iam::123456789012:user/cs-ops');
    });

    it('records an acknowledgement from the console as the signed-in supervisor (H-08), then shows the complaint', async () => {
      const { store } = memoryStore([complaint]);
      const deps = depsFor(store);
      const res = await consoleHandler(deps)(
        event('/console/complaints/{id}/acknowledge', `/console/complaints/${complaint.id}/acknowledge`, {
          id: complaint.id,
          method: 'POST',
          form: 'clockId=H-01&level=1',
          authorizer: ownSupervisor,
        }),
      );
      expect(res.statusCode).toBe(303);
      expect(res.headers!.Location).toBe(`/v1/console/complaints/${complaint.id}`);
      expect(deps.acknowledged).toEqual([
        {
          id: complaint.id,
          form: { clockId: 'H-01', level: 1 },
          viewer: { id: 'sub-own-lead@carrier.example', name: 'own-lead@carrier.example', groups: [`${team}:supervisor`] },
        },
      ]);
    });

    it('fails with 403 when operations or another team tries to acknowledge, and 400 naming a bad field', async () => {
      const { store } = memoryStore([complaint]);
      const deps = depsFor(store);
      const post = (authorizer: Record<string, string>, form = 'clockId=H-01&level=1') =>
        consoleHandler(deps)(
          event('/console/complaints/{id}/acknowledge', `/console/complaints/${complaint.id}/acknowledge`, {
            id: complaint.id,
            method: 'POST',
            form,
            authorizer,
          }),
        );
      expect((await post(as('ops@carrier.example', 'operations'))).statusCode).toBe(403);
      expect((await post(otherSupervisor)).statusCode).toBe(403);
      const bad = await post(MANAGER, 'clockId=H-01&level=first');
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('level');
      expect(deps.acknowledged).toEqual([]);
    });
  });

  it('derives the stage prefix from the request context', () => {
    expect(basePath(event('/console', '/console', { stage: '/prod' }))).toBe('/prod');
    expect(basePath({ path: '/console', requestContext: {} } as unknown as APIGatewayProxyEvent)).toBe('');
  });
});
