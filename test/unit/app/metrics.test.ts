import { afterEach, describe, expect, it, vi } from 'vitest';

// Embedded metric format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
describe('business metrics', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('emits one EMF line per event, with its dimension and the configured namespace', async () => {
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'ComplaintLoop');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'complaint-loop');
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const { countEvent } = await import('../../../functions/app/metrics');
    countEvent('NotificationSent', { kind: 'escalation' });
    const emf = lines.map((l) => l.trim()).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ NotificationSent: 1, kind: 'escalation', service: 'complaint-loop' });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'ComplaintLoop',
      Metrics: [{ Name: 'NotificationSent', Unit: 'Count' }],
    });
  });
});
