/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, JSONPath-mode Arguments and Assign):
 * the one place where JSONPath and intrinsic functions meet, so that neither module imports the other.
 */
import { StatesError, StatesErrors } from './errors';
import { evaluateIntrinsic } from './intrinsics';
import { isObject, type PathOptions, PathSyntaxError, queryPath, setOwn, truncatedJson } from './jsonpath';

/** Options of payload templates: paths, plus the random/UUID sources their intrinsics use. */
export interface TemplateOptions extends PathOptions {
  random?: () => number;
  uuid?: () => string;
}

/**
 * Build a payload from a template: a key ending in ".$" takes its value from a path (`$.x`),
 * the context (`$$.Execution.Id`), a variable (`$var`) or an intrinsic (`States.Format(...)`),
 * and loses the suffix; other values are copied; objects and arrays are processed recursively.
 * A path that matches nothing throws StatesError('States.Runtime') with AWS's cause.
 */
export function applyPayloadTemplate(template: unknown, input: unknown, opts?: TemplateOptions): unknown {
  if (Array.isArray(template)) return template.map((t) => applyPayloadTemplate(t, input, opts));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && key.length > 2) {
      setOwn(out, key.slice(0, -2), evaluateDynamicValue(key, value, input, opts));
    } else {
      setOwn(out, key, applyPayloadTemplate(value, input, opts));
    }
  }
  return out;
}

function evaluateDynamicValue(key: string, value: unknown, input: unknown, opts: TemplateOptions | undefined): unknown {
  if (typeof value !== 'string') {
    throw new StatesError(
      StatesErrors.Runtime,
      `The value for the field '${key}' must be a STRING that contains a JSONPath or an intrinsic function`,
    );
  }
  const expr = value.trim();
  if (expr.startsWith('States.')) {
    return evaluateIntrinsic(expr, input, opts);
  }
  try {
    return queryPath(expr, input, opts);
  } catch (e) {
    if (e instanceof StatesError && e.error === StatesErrors.Runtime && !(e instanceof PathSyntaxError)) {
      const where = expr.startsWith('$$') ? 'context object' : 'input';
      const against = expr.startsWith('$$') ? opts?.context : input;
      throw new StatesError(
        StatesErrors.Runtime,
        `The JSONPath '${expr}' specified for the field '${key}' could not be found in the ${where} '${truncatedJson(against)}'`,
      );
    }
    throw e;
  }
}
