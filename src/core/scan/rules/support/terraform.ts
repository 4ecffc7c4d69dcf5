/**
 * Reads Terraform documents as `@cdktf/hcl2json` gives them: `resource.<type>.<name>` (and
 * `data.<type>.<name>`) hold a list of blocks, one per declaration; nested blocks are lists too.
 */
import { entriesOf, isObject } from '../../document.ts';
import type { DocPath, PlainObject } from '../../document.ts';
import type { ObjectRef } from '../../rule.ts';

export interface TerraformBlock {
  readonly type: string;
  readonly name: string;
  readonly path: DocPath;
  readonly body: PlainObject;
  readonly object: ObjectRef;
}

/** Every `resource` (or `data`) block of the given types, with the path to its body. */
export function terraformBlocks(
  value: unknown,
  types: readonly string[],
  section: 'resource' | 'data' = 'resource',
): readonly TerraformBlock[] {
  const out: TerraformBlock[] = [];
  const root = isObject(value) ? value[section] : undefined;
  for (const [type, byName] of entriesOf(root)) {
    if (!types.includes(type)) continue;
    for (const [name, bodies] of entriesOf(byName)) {
      const list = Array.isArray(bodies) ? (bodies as readonly unknown[]) : [bodies];
      list.forEach((body, index) => {
        if (!isObject(body)) return;
        out.push({
          type,
          name,
          path: [section, type, name, ...(Array.isArray(bodies) ? [index] : [])],
          body,
          object: { kind: section === 'data' ? `data.${type}` : type, name, namespace: null },
        });
      });
    }
  }
  return out;
}

/** The blocks nested under `key` (a list in hcl2json output), with paths. */
export function nestedBlocks(
  body: PlainObject,
  path: DocPath,
  key: string,
): readonly { readonly path: DocPath; readonly body: PlainObject }[] {
  const raw = body[key];
  const list = Array.isArray(raw) ? (raw as readonly unknown[]) : raw === undefined ? [] : [raw];
  const out: { path: DocPath; body: PlainObject }[] = [];
  list.forEach((item, index) => {
    if (isObject(item))
      out.push({ path: Array.isArray(raw) ? [...path, key, index] : [...path, key], body: item });
  });
  return out;
}

/** True for a value Terraform computes (`${var.x}`, `${local.y}`): not a literal to judge. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** `${it.key}`, `${it.value}`, `${it.value.x}` or `${it.value["x"]}` for iterator `it`. */
const ITERATOR_REFERENCE =
  /\$\{\s*([A-Za-z_][\w-]*)\.(key|value)(?:\.([A-Za-z_][\w-]*)|\[\s*"([^"]+)"\s*\])?\s*\}/g;

const WHOLE_REFERENCE = new RegExp(`^${ITERATOR_REFERENCE.source}$`);

/** `value` with the iterator's references filled in; undefined when one cannot be. */
function substitute(value: unknown, iterator: string, key: unknown, element: unknown): unknown {
  if (Array.isArray(value)) {
    const items = (value as readonly unknown[]).map((item) =>
      substitute(item, iterator, key, element),
    );
    return items.includes(undefined) ? undefined : items.flat();
  }
  if (typeof value !== 'string') return value;
  const lookup = (kind: string, field: string | undefined): unknown => {
    const base = kind === 'key' ? key : element;
    if (field === undefined) return base;
    return isObject(base) ? base[field] : undefined;
  };
  // A reference that is the whole value keeps its type (a list of values, say).
  const whole = WHOLE_REFERENCE.exec(value.trim());
  if (whole !== null && whole[1] === iterator) return lookup(whole[2] ?? '', whole[3] ?? whole[4]);
  const missing: string[] = [];
  const text = value.replace(
    ITERATOR_REFERENCE,
    (match, name: string, kind: string, dotted?: string, quoted?: string) => {
      if (name !== iterator) return match;
      const found = lookup(kind, dotted ?? quoted);
      if (typeof found === 'string' || typeof found === 'number') return String(found);
      missing.push(match);
      return match;
    },
  );
  return missing.length > 0 ? undefined : text;
}

export interface DynamicExpansion {
  /** One body per element of a literal `for_each`, its references to the iterator filled in. */
  readonly blocks: readonly { readonly path: DocPath; readonly body: PlainObject }[];
  /**
   * `dynamic` blocks the scanner cannot expand: `for_each` is computed (`var.x`, `local.y`), or
   * the content uses the iterator in a way it cannot evaluate. Their blocks exist only at plan.
   */
  readonly unresolved: readonly DocPath[];
}

/**
 * The blocks `dynamic "<key>"` generates under `body`. A literal `for_each` (a list or map,
 * which hcl2json already gives as JSON) is expanded the way Terraform would; anything else is
 * reported as unresolved rather than read as "no block".
 */
export function dynamicBlocks(body: PlainObject, path: DocPath, key: string): DynamicExpansion {
  const dynamic = body['dynamic'];
  if (!isObject(dynamic)) return { blocks: [], unresolved: [] };
  const blocks: { path: DocPath; body: PlainObject }[] = [];
  const unresolved: DocPath[] = [];
  for (const block of nestedBlocks(dynamic, [...path, 'dynamic'], key)) {
    const forEach = block.body['for_each'];
    const content = nestedBlocks(block.body, block.path, 'content')[0]?.body;
    const declared = block.body['iterator'];
    const iterator = typeof declared === 'string' ? declared.replace(/^\$\{\s*|\s*\}$/g, '') : key;
    const elements: readonly (readonly [unknown, unknown])[] | undefined = Array.isArray(forEach)
      ? (forEach as readonly unknown[]).map((element, index) => [index, element] as const)
      : isObject(forEach)
        ? Object.entries(forEach)
        : undefined;
    if (content === undefined || elements === undefined) {
      unresolved.push(block.path);
      continue;
    }
    for (const [elementKey, element] of elements) {
      const expanded: Record<string, unknown> = {};
      let complete = true;
      for (const [name, value] of Object.entries(content)) {
        const filled = substitute(value, iterator, elementKey, element);
        // Other references (`var.x` in `values`) stay, as they would in a static block.
        if (filled === undefined) complete = false;
        expanded[name] = filled;
      }
      if (complete) blocks.push({ path: block.path, body: expanded });
      else unresolved.push(block.path);
    }
  }
  return { blocks, unresolved };
}
