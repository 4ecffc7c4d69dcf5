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
