import { afterEach, describe, expect, it, vi } from 'vitest';

// Metrics reads its configuration when the module loads.
vi.hoisted(() => {
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'ComplaintLoop';
  process.env.POWERTOOLS_SERVICE_NAME = 'complaint-loop';
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
});

import { countEvent } from '../../../functions/app/runtime/metrics';

// Embedded metric format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
describe('business metrics', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('emits one EMF line per event, with its dimension and the configured namespace', () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    countEvent('NotificationSent', { kind: 'escalation' });
    const emf = lines
      .map((l) => l.trim())
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ NotificationSent: 1, kind: 'escalation', service: 'complaint-loop' });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'ComplaintLoop',
      Metrics: [{ Name: 'NotificationSent', Unit: 'Count' }],
    });
  });
});
