/**
 * Business metrics (H-41: quality monitored in real time) as CloudWatch embedded-metric log lines,
 * through Powertools Metrics. Namespace and service come from POWERTOOLS_METRICS_NAMESPACE and
 * POWERTOOLS_SERVICE_NAME (set by the function construct); locally POWERTOOLS_METRICS_DISABLED
 * keeps them out of the terminal. Dimensions stay low-cardinality: never a complaint id.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const metrics = new Metrics();

/** Counts one event at once (a single-metric flush, so no handler has to remember to publish). */
export function countEvent(name: string, dimensions: Readonly<Record<string, string>> = {}): void {
  const single = metrics.singleMetric();
  for (const [key, value] of Object.entries(dimensions)) single.addDimension(key, value);
  single.addMetric(name, MetricUnit.Count, 1);
}

/** Records one measured value at once (a gauge such as days of calendar coverage left). */
export function recordValue(name: string, value: number, unit: (typeof MetricUnit)[keyof typeof MetricUnit] = MetricUnit.Count): void {
  const single = metrics.singleMetric();
  single.addMetric(name, unit, value);
}
