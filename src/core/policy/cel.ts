import type { CelValue } from '@bufbuild/cel';
import {
  CelScalar,
  celMethod,
  isCelError,
  isCelList,
  isCelMap,
  isCelUint,
  parse,
  run,
} from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';

/**
 * CEL as Google's workload identity federation runs it: claims under `assertion`, mapped
 * attributes under `attribute`, the standard string extensions, and Google's `extract`.
 */
export type CelOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * `'repo:org/app:ref:main'.extract('repo:{x}:')` → `org/app`: the text between the template's
 * prefix and suffix, or the empty string when the prefix or suffix is not found.
 */
const extract = celMethod(
  'extract',
  CelScalar.STRING,
  [CelScalar.STRING],
  CelScalar.STRING,
  function (template) {
    const open = template.indexOf('{');
    const close = template.indexOf('}', open);
    if (open < 0 || close < 0) return '';
    const prefix = template.slice(0, open);
    const suffix = template.slice(close + 1);
    const start = this.indexOf(prefix);
    if (start < 0) return '';
    const from = start + prefix.length;
    if (suffix === '') return this.slice(from);
    const end = this.indexOf(suffix, from);
    return end < 0 ? '' : this.slice(from, end);
  },
);

const FUNCS = [...strings, extract];

/** Returns a syntax error message, or undefined when the expression parses. */
export function celSyntaxError(expression: string): string | undefined {
  try {
    parse(expression);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

export function evaluateCel(
  expression: string,
  bindings: Readonly<Record<string, unknown>>,
): CelOutcome {
  const input: Record<string, Map<string, unknown>> = {};
  for (const [name, value] of Object.entries(bindings)) input[name] = toCelMap(value);
  // The bindings are plain JSON converted to Maps and arrays, which CEL accepts as input.
  const result = run(expression, input as Parameters<typeof run>[1], { funcs: FUNCS });
  if (isCelError(result)) return { ok: false, error: result.message };
  return { ok: true, value: fromCel(result) };
}

function toCelMap(value: unknown): Map<string, unknown> {
  const map = new Map<string, unknown>();
  if (typeof value !== 'object' || value === null) return map;
  for (const [key, item] of Object.entries(value)) map.set(key, toCel(item));
  return map;
}

function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(item));
  if (typeof value === 'object' && value !== null) return toCelMap(value);
  return value;
}

/** Converts a CEL result back to plain JSON-like values (ints become numbers). */
function fromCel(value: CelValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (isCelList(value)) return [...value].map((item) => fromCel(item));
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value.entries())
      out[isCelUint(key) ? key.value.toString() : String(key)] = fromCel(item);
    return out;
  }
  return value;
}

/**
 * Splits `a && (b || c) && d` into its top-level conjuncts, so a trace can show which part of
 * a condition failed. Quotes and brackets are respected; anything else stays whole.
 */
export function topLevelConjuncts(expression: string): readonly string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expression.length; i += 1) {
    const ch = expression[i];
    if (quote !== undefined) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') depth += 1;
    else if (ch === ')' || ch === ']' || ch === '}') depth -= 1;
    else if (ch === '&' && expression[i + 1] === '&' && depth === 0) {
      parts.push(expression.slice(start, i).trim());
      start = i + 2;
      i += 1;
    }
  }
  parts.push(expression.slice(start).trim());
  return parts.filter((part) => part !== '');
}
