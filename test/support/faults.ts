/**
 * Fault injection for the reliability tests: a seeded random source, a wrapper that makes workflow
 * Lambda tasks fail as Lambda does (before or after the handler ran), and deciders for the fault
 * proxy (local/fault-proxy.ts) in front of DynamoDB Local and local SES.
 */
import type { LambdaHandler } from '../../local/engine/index';
import { dynamoDbThrottling, type InjectedFault, type ProxiedRequest, sesThrottling } from '../../local/fault-proxy';

/** mulberry32: small, fast and reproducible, so a failing run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The error Lambda's service raises (retried by the workflow's transient retrier). */
export class LambdaServiceException extends Error {
  override readonly name = 'Lambda.ServiceException';
}

/** A bug that no retry cures: the workflow must escalate it to a person. */
export class InjectedPermanentError extends Error {
  override readonly name = 'InjectedPermanentError';
}

export interface LambdaFaultStats {
  invocations: number;
  /** Failed before the handler ran (the request never reached the function). */
  failedBefore: number;
  /** Failed after the handler ran (its work is done, the answer was lost): idempotency matters. */
  failedAfter: number;
  permanent: number;
}

export interface LambdaFaultPlan {
  /** Share of task invocations that fail transiently. */
  transientRate: number;
  /** Complaint ids whose given task always fails with a non-transient error. */
  permanent?: { task: string; complaintIds: ReadonlySet<string> };
  random: () => number;
  /** Function name → handler entry name ('classify', 'notify', ...). */
  taskOf: (functionName: string) => string;
}

export function lambdaFaults(plan: LambdaFaultPlan): {
  stats: LambdaFaultStats;
  wrap: (functionName: string, handler: LambdaHandler) => LambdaHandler;
} {
  const stats: LambdaFaultStats = { invocations: 0, failedBefore: 0, failedAfter: 0, permanent: 0 };
  const wrap = (functionName: string, handler: LambdaHandler): LambdaHandler => {
    const task = plan.taskOf(functionName);
    return async (event, context) => {
      stats.invocations += 1;
      const complaintId = (event as { complaintId?: string } | null)?.complaintId ?? '';
      if (plan.permanent && task === plan.permanent.task && plan.permanent.complaintIds.has(complaintId)) {
        stats.permanent += 1;
        throw new InjectedPermanentError(`${task} cannot handle complaint ${complaintId} (injected)`);
      }
      const roll = plan.random();
      if (roll < plan.transientRate / 2) {
        stats.failedBefore += 1;
        throw new LambdaServiceException('Lambda was unable to run the function (injected)');
      }
      const result = await handler(event, context);
      if (roll < plan.transientRate) {
        stats.failedAfter += 1;
        throw new LambdaServiceException('The function ran but its answer was lost (injected)');
      }
      return result;
    };
  };
  return { stats, wrap };
}

/** Throttles this share of DynamoDB requests the handlers make. */
export function throttleDynamoDb(rate: number, random: () => number): (req: ProxiedRequest) => InjectedFault | undefined {
  return (req) => (req.target.startsWith('DynamoDB_') && random() < rate ? dynamoDbThrottling() : undefined);
}

/** Rejects this share of SES sends with throttling (reads of the captured store pass). */
export function throttleSes(rate: number, random: () => number): (req: ProxiedRequest) => InjectedFault | undefined {
  return (req) => (req.method === 'POST' && random() < rate ? sesThrottling() : undefined);
}
