import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../local/engine/index';
import { startSchedules } from '../../../local/scheduler';
import { deriveLocalApp, rateExpressionMs } from '../../../local/stack/template';
import { fixtureTemplate } from '../../support/fixture-template';

const T0 = Date.parse('2026-12-01T00:00:00.000Z');
const MIN = 60_000;

describe('local EventBridge rate schedules', () => {
  it('reads rate expressions as EventBridge does (singular for 1, plural otherwise); cron is not run locally', () => {
    expect(rateExpressionMs('rate(5 minutes)')).toBe(5 * MIN);
    expect(rateExpressionMs('rate(1 minute)')).toBe(MIN);
    expect(rateExpressionMs('rate(2 hours)')).toBe(120 * MIN);
    expect(rateExpressionMs('rate(1 day)')).toBe(1440 * MIN);
    expect(rateExpressionMs('cron(0 12 * * ? *)')).toBeUndefined();
    expect(rateExpressionMs('rate(0 minutes)')).toBeUndefined();
  });

  it('finds a scheduled rule and its function target in a template; skips cron and disabled rules with the reason', () => {
    const template = fixtureTemplate();
    const fnId = deriveLocalApp(template, { apiBaseUrl: 'http://127.0.0.1:1', awsLiteEndpoint: 'http://127.0.0.1:2' }).functions[0]!
      .logicalId;
    const target = [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, Id: 'Target0' }];
    template.Resources.SweepRule = {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED', Targets: target },
    };
    template.Resources.CronRule = { Type: 'AWS::Events::Rule', Properties: { ScheduleExpression: 'cron(0 12 * * ? *)', Targets: target } };
    template.Resources.OffRule = {
      Type: 'AWS::Events::Rule',
      Properties: { ScheduleExpression: 'rate(1 hour)', State: 'DISABLED', Targets: target },
    };
    const app = deriveLocalApp(template, { apiBaseUrl: 'http://127.0.0.1:1', awsLiteEndpoint: 'http://127.0.0.1:2' });
    expect(app.schedules).toEqual([{ ruleId: 'SweepRule', functionId: fnId, expression: 'rate(5 minutes)', rateMs: 5 * MIN }]);
    expect(app.skippedSchedules).toEqual(['CronRule (cron(0 12 * * ? *) is not a rate(...) expression)', 'OffRule (disabled)']);
  });

  it('invokes the target every rate on the virtual clock with the due instant as the event time, one run at a time', async () => {
    const clock = new VirtualClock(T0);
    const times: string[] = [];
    let running = 0;
    let overlapped = false;
    const schedules = startSchedules(
      [{ ruleId: 'R', functionId: 'F', expression: 'rate(5 minutes)', rateMs: 5 * MIN }],
      clock,
      async (id, event) => {
        overlapped ||= running > 0;
        running += 1;
        await new Promise((r) => setTimeout(r, 5));
        times.push(`${id}@${(event as { time: string }).time}`);
        running -= 1;
      },
      () => undefined,
    );
    await clock.advance(16 * MIN);
    schedules.stop();
    await clock.advance(60 * MIN);
    expect(times).toEqual(['F@2026-12-01T00:05:00.000Z', 'F@2026-12-01T00:10:00.000Z', 'F@2026-12-01T00:15:00.000Z']);
    expect(overlapped).toBe(false);
  });

  it('fails a run without stopping the schedule: the error is logged and the next run comes', async () => {
    const clock = new VirtualClock(T0);
    const lines: string[] = [];
    let calls = 0;
    const schedules = startSchedules(
      [{ ruleId: 'R', functionId: 'F', expression: 'rate(1 minute)', rateMs: MIN }],
      clock,
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('table not found');
      },
      (line) => lines.push(line),
    );
    await clock.advance(2 * MIN);
    schedules.stop();
    expect(calls).toBe(2);
    expect(lines).toEqual(['schedule R (rate(1 minute)) failed at 2026-12-01T00:01:00.000Z: table not found']);
  });
});
