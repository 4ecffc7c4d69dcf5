/**
 * One fast parse per file: js-yaml for YAML (multi-document), `JSON.parse` for JSON and
 * `@cdktf/hcl2json` (WASM, loaded only when an HCL file is present) for HCL. No positions are
 * kept here; see ../positions.ts. Comments are dropped by every parser, so commented-out
 * configuration never reaches a rule.
 */
import {
  CORE_SCHEMA,
  defineMappingTag,
  defineScalarTag,
  defineSequenceTag,
  loadAll,
  mapTag,
  mergeTag,
  YAMLException,
} from 'js-yaml';
import { markGitlabReference } from '../document.ts';
import type { SourceFormat } from '../document.ts';

export interface ParseFailure {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type ParseOutcome =
  | { readonly ok: true; readonly values: readonly unknown[] }
  | { readonly ok: false; readonly error: ParseFailure };

/** Nesting deeper than this is refused (hostile input); real manifests stay far below. */
export const MAX_DEPTH = 200;
/** Aliases per document; GitLab CI files use a few dozen anchors at most. */
export const MAX_ALIASES = 10_000;

// GitLab CI's `!reference [.job, key]` stays the plain array rules read, remembered as one.
const referenceTag = defineSequenceTag<unknown[]>('!reference', {
  create: () => [],
  addItem: (items, item) => {
    items.push(item);
  },
  finalize: markGitlabReference,
  identify: () => false,
});

/*
 * Any other tag a tool defines for itself (CloudFormation's `!Sub`, `!Ref`, `!GetAtt`, an
 * application's `!Secret`) reads as the plain scalar, sequence or mapping it tags: a scanner
 * cannot know its meaning, and refusing it would leave the whole file unchecked. The empty
 * prefix matches only tags the schema does not know; `!!int x` is still an error.
 */
const anyScalarTag = defineScalarTag<string>('', {
  matchByTagPrefix: true,
  resolve: (source) => source,
  identify: () => false,
});
const anySequenceTag = defineSequenceTag<unknown[]>('', {
  matchByTagPrefix: true,
  create: () => [],
  addItem: (items, item) => {
    items.push(item);
  },
  identify: () => false,
});
const anyMappingTag = defineMappingTag<Record<string, unknown>>('', {
  matchByTagPrefix: true,
  create: mapTag.create,
  addPair: mapTag.addPair,
  has: mapTag.has,
  keys: mapTag.keys,
  get: mapTag.get,
  identify: () => false,
});

// GitLab CI relies on merge keys (`<<: *defaults`); the core schema leaves them out. Positions
// construct keys with it too, so a key reads the same there as in the loaded value.
export const YAML_SCHEMA = CORE_SCHEMA.withTags(
  mergeTag,
  referenceTag,
  anyScalarTag,
  anySequenceTag,
  anyMappingTag,
);

export function formatFor(relative: string, text: string): SourceFormat {
  const lower = relative.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.tf') || lower.endsWith('.hcl') || lower.endsWith('.conf')) return 'hcl';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}

export function parseYaml(text: string): ParseOutcome {
  try {
    const values = loadAll(text, {
      schema: YAML_SCHEMA,
      maxDepth: MAX_DEPTH,
      maxAliases: MAX_ALIASES,
    });
    return { ok: true, values };
  } catch (error) {
    if (error instanceof YAMLException) {
      return {
        ok: false,
        error: {
          line: (error.mark?.line ?? 0) + 1,
          column: (error.mark?.column ?? 0) + 1,
          message: `invalid YAML: ${error.reason}`,
        },
      };
    }
    return { ok: false, error: { line: 1, column: 1, message: `invalid YAML: ${String(error)}` } };
  }
}

function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first syntax error in `text`, for JSON.parse messages that carry no position.
 * A small recursive-descent check; depth is bounded so hostile nesting cannot overflow.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i += 1;
  };
  const literal = (word: string): boolean => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return true;
    }
    return false;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i += 1;
    while (i < text.length && text[i] !== '"') {
      const char = text.charCodeAt(i);
      if (char < 0x20) return false;
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) return false;
    i += 1;
    return true;
  };
  const number = (): boolean => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null) return false;
    i += match[0].length;
    return true;
  };
  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH * 50) return false;
    space();
    const char = text[i];
    if (char === '{') {
      i += 1;
      space();
      if (text[i] === '}') {
        i += 1;
        return true;
      }
      for (;;) {
        space();
        if (!string()) return false;
        space();
        if (text[i] !== ':') return false;
        i += 1;
        if (!value(depth + 1)) return false;
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === '}') {
          i += 1;
          return true;
        } else return false;
      }
    }
    if (char === '[') {
      i += 1;
      space();
      if (text[i] === ']') {
        i += 1;
        return true;
      }
      for (;;) {
        if (!value(depth + 1)) return false;
        space();
        if (text[i] === ',') i += 1;
        else if (text[i] === ']') {
          i += 1;
          return true;
        } else return false;
      }
    }
    if (char === '"') return string();
    return literal('true') || literal('false') || literal('null') || number();
  };
  if (value(0)) space();
  return Math.min(i, text.length);
}

/** Offset where bracket nesting first exceeds `MAX_DEPTH`, ignoring brackets inside strings. */
function jsonTooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i += 1;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > MAX_DEPTH) return i;
    } else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return undefined;
}

export function parseJson(text: string): ParseOutcome {
  const tooDeep = jsonTooDeepAt(text);
  if (tooDeep !== undefined) {
    return {
      ok: false,
      error: {
        ...lineColumnAt(text, tooDeep),
        message: `invalid JSON: nesting deeper than ${MAX_DEPTH} levels`,
      },
    };
  }
  try {
    return { ok: true, values: [JSON.parse(text) as unknown] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 quotes a snippet of the input in its message; keep only the reason.
    const reason = (message.split(/,\s*"|\s+in JSON|\s+at position/)[0] ?? message).trim();
    return {
      ok: false,
      error: { ...lineColumnAt(text, jsonErrorOffset(text)), message: `invalid JSON: ${reason}` },
    };
  }
}

type HclParse = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let hclParser: Promise<HclParse> | undefined;

async function loadHclParser(): Promise<HclParse> {
  hclParser ??= import('@cdktf/hcl2json').then((module) => module.parse as HclParse);
  return hclParser;
}

export async function parseHcl(filename: string, text: string): Promise<ParseOutcome> {
  const parse = await loadHclParser();
  try {
    return { ok: true, values: [await parse(filename, text)] };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // hcl2json reports `parse config: [file:LINE,COL-COL: Summary; Detail]`.
    const where = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^;\]]+)/.exec(message);
    return {
      ok: false,
      error: {
        line: where === null ? 1 : Number(where[1]),
        column: where === null ? 1 : Number(where[2]),
        message: `invalid HCL: ${where?.[3]?.trim() ?? message}`,
      },
    };
  }
}

/**
 * Evaluates a Terraform `${jsonencode(<literal>)}` string left by hcl2json. The argument is
 * re-parsed as an HCL attribute, which turns literal objects into JSON and leaves references
 * as `${…}` strings. Undefined when the argument is not a literal.
 */
export async function decodeJsonencodeExpression(expression: string): Promise<unknown> {
  const match = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression.trim());
  if (match === null) return undefined;
  const outcome = await parseHcl('jsonencode.hcl', `value = ${match[1] ?? ''}\n`);
  if (!outcome.ok) return undefined;
  const value = outcome.values[0];
  return typeof value === 'object' && value !== null && 'value' in value ? value.value : undefined;
}
