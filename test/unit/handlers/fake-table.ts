/**
 * A small in-memory stand-in for the one table, behind aws-sdk-client-mock's DynamoDBDocumentClient
 * mock: evaluates the condition expressions the store uses (attribute_(not_)exists, =, <, AND, OR,
 * parentheses) and all-or-nothing transactions, so handler tests see conditional behaviour.
 * (The real expressions are exercised against DynamoDB Local by the workflow tests.)
 */

import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { conditionFailed, transactionCanceled } from './support';

type Item = Record<string, unknown>;
type Names = Record<string, string> | undefined;
type Values = Record<string, unknown> | undefined;

function tokenize(expr: string): string[] {
  return expr.match(/\(|\)|[A-Za-z_]+\([^)]*\)|<>|<=|>=|=|<|>|[#:]?[A-Za-z0-9_.-]+/g) ?? [];
}

function evaluate(expr: string | undefined, item: Item | undefined, names: Names, values: Values): boolean {
  if (!expr) return true;
  const tokens = tokenize(expr);
  let i = 0;
  const name = (t: string) => (t.startsWith('#') ? names![t]! : t);
  const operand = (t: string) => (t.startsWith(':') ? values![t] : item?.[name(t)]);
  function primary(): boolean {
    const t = tokens[i++]!;
    if (t === '(') {
      const v = or();
      i++; // ')'
      return v;
    }
    const fn = /^(attribute_exists|attribute_not_exists)\((.+)\)$/.exec(t);
    if (fn) {
      const present = item !== undefined && item[name(fn[2]!.trim())] !== undefined;
      return fn[1] === 'attribute_exists' ? present : !present;
    }
    const op = tokens[i++]!;
    const right = operand(tokens[i++]!);
    const left = operand(t);
    if (left === undefined) return false;
    switch (op) {
      case '=':
        return left === right;
      case '<>':
        return left !== right;
      case '<':
        return (left as number) < (right as number);
      case '>':
        return (left as number) > (right as number);
      default:
        throw new Error(`fake table: operator ${op}`);
    }
  }
  function and(): boolean {
    let v = primary();
    while (tokens[i] === 'AND') {
      i++;
      const r = primary();
      v = v && r;
    }
    return v;
  }
  function or(): boolean {
    let v = and();
    while (tokens[i] === 'OR') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  }
  return or();
}

/** `SET a = :v, ...` and `ADD #n :v, ...` (numbers), in either order. */
function applySet(item: Item, expr: string, names: Names, values: Values): Item {
  const out: Item = { ...item };
  const name = (lhs: string) => (lhs.startsWith('#') ? names![lhs]! : lhs);
  for (const [, action, body] of expr.matchAll(/(SET|ADD)\s+(.*?)(?=\s+(?:SET|ADD)\s+|$)/g)) {
    for (const part of body!.split(',')) {
      if (action === 'SET') {
        const [lhs, rhs] = part.split('=').map((s) => s.trim());
        out[name(lhs!)] = structuredClone(values![rhs!]);
      } else {
        const [lhs, rhs] = part.trim().split(/\s+/);
        out[name(lhs!)] = (Number(out[name(lhs!)] ?? 0) + Number(values![rhs!])) as never;
      }
    }
  }
  return out;
}

const k = (key: { pk: unknown; sk: unknown }) => `${String(key.pk)}|${String(key.sk)}`;

export class FakeTable {
  readonly items = new Map<string, Item>();
  /** Errors thrown by the next calls of a command (e.g. throttling), in order. */
  private readonly failures: { command: string; error: Error }[] = [];

  constructor(ddb: AwsClientStub<DynamoDBDocumentClient>) {
    ddb.on(GetCommand).callsFake((input) => {
      this.maybeFail('Get');
      const item = this.items.get(k(input.Key));
      return { Item: item ? structuredClone(item) : undefined };
    });
    ddb.on(PutCommand).callsFake((input) => {
      this.maybeFail('Put');
      this.put(input);
      return {};
    });
    ddb.on(UpdateCommand).callsFake((input) => {
      this.maybeFail('Update');
      this.update(input);
      return {};
    });
    ddb.on(DeleteCommand).callsFake((input) => {
      this.maybeFail('Delete');
      const current = this.items.get(k(input.Key));
      if (!evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues))
        throw conditionFailed();
      this.items.delete(k(input.Key));
      return {};
    });
    ddb.on(QueryCommand).callsFake((input) => {
      this.maybeFail('Query');
      if (input.IndexName === 'by-customer') return this.countByCustomer(input.ExpressionAttributeValues!);
      const pk = input.ExpressionAttributeValues![':pk'];
      const prefix = input.ExpressionAttributeValues![':ev'] as string | undefined;
      const rows = [...this.items.values()]
        .filter((it) => it.pk === pk && (prefix === undefined || String(it.sk).startsWith(prefix)))
        .sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
      return { Items: structuredClone(rows) };
    });
    ddb.on(TransactWriteCommand).callsFake((input) => {
      this.maybeFail('TransactWrite');
      const ops = input.TransactItems as { Put?: Item; Update?: Item }[];
      const codes = ops.map((op) => {
        const spec = (op.Put ?? op.Update) as {
          Item?: Item;
          Key?: Item;
          ConditionExpression?: string;
          ExpressionAttributeNames?: Names;
          ExpressionAttributeValues?: Values;
        };
        const key = spec.Item ?? spec.Key!;
        const current = this.items.get(k(key as { pk: unknown; sk: unknown }));
        return evaluate(spec.ConditionExpression, current, spec.ExpressionAttributeNames, spec.ExpressionAttributeValues)
          ? 'None'
          : 'ConditionalCheckFailed';
      });
      if (codes.some((c) => c !== 'None')) throw transactionCanceled(codes);
      for (const op of ops) {
        if (op.Put) this.put({ ...(op.Put as object), ConditionExpression: undefined } as never);
        else this.update({ ...(op.Update as object), ConditionExpression: undefined } as never);
      }
      return {};
    });
  }

  failNext(command: 'Get' | 'Put' | 'Update' | 'Delete' | 'Query' | 'TransactWrite', error: Error): void {
    this.failures.push({ command, error });
  }

  get(pk: string, sk: string): Item | undefined {
    return this.items.get(`${pk}|${sk}`);
  }

  keys(prefix = ''): string[] {
    return [...this.items.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  seed(item: Item): void {
    this.items.set(k(item as { pk: unknown; sk: unknown }), structuredClone(item));
  }

  /** The store's one query of the `by-customer` index: a count of a customer's other complaints received in a range. */
  private countByCustomer(values: Values): { Count: number } {
    const v = values!;
    const rows = [...this.items.values()].filter(
      (it) =>
        it.customerKey === v[':c'] &&
        it.pk !== v[':self'] &&
        String(it.receivedAt) >= String(v[':from']) &&
        String(it.receivedAt) <= String(v[':to']),
    );
    return { Count: rows.length };
  }

  private maybeFail(command: string): void {
    const i = this.failures.findIndex((f) => f.command === command);
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }

  private put(input: {
    Item: Item;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
  }): void {
    const current = this.items.get(k(input.Item as { pk: unknown; sk: unknown }));
    if (!evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues))
      throw conditionFailed();
    // The document client drops undefined attributes (removeUndefinedValues) and answers binary
    // attributes as Uint8Array.
    const clean = structuredClone(dropUndefined(input.Item)) as Item;
    this.items.set(k(clean as { pk: unknown; sk: unknown }), clean);
  }

  private update(input: {
    Key: Item;
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Names;
    ExpressionAttributeValues?: Values;
  }): void {
    const current = this.items.get(k(input.Key as { pk: unknown; sk: unknown }));
    if (!evaluate(input.ConditionExpression, current, input.ExpressionAttributeNames, input.ExpressionAttributeValues))
      throw conditionFailed();
    this.items.set(
      k(input.Key as { pk: unknown; sk: unknown }),
      applySet({ ...(current ?? input.Key) }, input.UpdateExpression, input.ExpressionAttributeNames, input.ExpressionAttributeValues),
    );
  }
}

function dropUndefined(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    );
  }
  return value;
}
