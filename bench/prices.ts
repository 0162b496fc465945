/**
 * The one price table every benchmark uses: AWS list prices for US East (N. Virginia), on-demand,
 * without free tiers or volume discounts beyond the first tier. Each entry names where the figure
 * was read and whether an AWS-owned page confirmed it; `confirmed: false` means the figure comes from
 * a third-party page quoting the AWS price and should be checked against the AWS page before it is
 * relied on (the results table marks those rows).
 */

export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  /** When the figure was read. */
  readonly checked: string;
  /** The AWS pricing page the figure belongs to. */
  readonly source: string;
  /** Where the number itself was seen, when that is not `source`. */
  readonly seenAt?: string;
  /** Seen on an AWS-owned page (aws.amazon.com or docs.aws.amazon.com). */
  readonly confirmed: boolean;
  readonly note?: string;
}

const CHECKED = '2026-11-28';

export const PRICES = {
  stepFunctionsTransition: {
    usd: 0.025,
    per: 1_000,
    unit: 'Standard workflow state transition',
    checked: CHECKED,
    source: 'https://aws.amazon.com/step-functions/pricing/',
    confirmed: true,
    note: 'Retries are billed as transitions too.',
  },
  lambdaRequest: {
    usd: 0.2,
    per: 1_000_000,
    unit: 'Lambda request',
    checked: CHECKED,
    source: 'https://aws.amazon.com/lambda/pricing/',
    seenAt: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    confirmed: false,
  },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 1,
    unit: 'Lambda GB-second, arm64, first 7.5 billion GB-s a month',
    checked: CHECKED,
    source: 'https://aws.amazon.com/lambda/pricing/',
    seenAt: 'https://cloudchipr.com/blog/aws-lambda-pricing',
    confirmed: false,
    note: 'Duration is billed in 1 ms steps, rounded up.',
  },
  dynamoWriteRequestUnit: {
    usd: 0.625,
    per: 1_000_000,
    unit: 'DynamoDB on-demand write request unit (Standard table class)',
    checked: CHECKED,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    seenAt: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    confirmed: false,
    note: 'After the November 2024 on-demand price reduction (AWS News Blog post on DynamoDB on-demand, updated January 2025).',
  },
  dynamoReadRequestUnit: {
    usd: 0.125,
    per: 1_000_000,
    unit: 'DynamoDB on-demand read request unit (Standard table class)',
    checked: CHECKED,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
    seenAt: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing',
    confirmed: false,
  },
  sesEmail: {
    usd: 0.1,
    per: 1_000,
    unit: 'SES outbound email',
    checked: CHECKED,
    source: 'https://aws.amazon.com/ses/pricing/',
    seenAt: 'https://www.acecloudinterviews.com/tutorials/aws/ses/',
    confirmed: false,
    note: 'Data transfer and attachments extra; these emails are a few KB of text.',
  },
  apiGatewayRestRequest: {
    usd: 3.5,
    per: 1_000_000,
    unit: 'API Gateway REST API request, first 333 million a month',
    checked: CHECKED,
    source: 'https://aws.amazon.com/api-gateway/pricing/',
    seenAt: 'https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html',
    confirmed: true,
    note: 'Next 667 million $2.80, next 19 billion $2.38 per million.',
  },
  eventBridgeEvent: {
    usd: 1.0,
    per: 1_000_000,
    unit: 'EventBridge custom event published',
    checked: CHECKED,
    source: 'https://aws.amazon.com/eventbridge/pricing/',
    seenAt: 'https://blog.awsfundamentals.com/aws-eventbridge-pricing-guide',
    confirmed: false,
  },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** Cost in US dollars of `quantity` units at the table's price. */
export function cost(key: PriceKey, quantity: number): number {
  const p: Price = PRICES[key];
  return (quantity * p.usd) / p.per;
}

/** Lambda duration cost: each invocation rounded up to the next millisecond, at its memory size. */
export function lambdaDurationCost(invocations: ReadonlyArray<{ ms: number; memoryMb: number }>): number {
  let gbSeconds = 0;
  for (const i of invocations) gbSeconds += (Math.ceil(i.ms) / 1000) * (i.memoryMb / 1024);
  return cost('lambdaArmGbSecond', gbSeconds);
}
