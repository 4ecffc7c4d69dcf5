/**
 * Teleport configuration the classifier has no kind for: provision tokens (`kind: token`,
 * `version: v2`, as `tctl create` reads them, or the Terraform `teleport_provision_token`
 * resource) and tbot configuration (`onboarding:` with `join_method`). Recognised by shape.
 */
import { isObject } from '../../document.ts';
import type { DocPath, PlainObject, ScanDocument } from '../../document.ts';
import type { ObjectRef } from '../../rule.ts';
import { terraformBlocks } from './terraform.ts';

export interface ProvisionToken {
  readonly name: string;
  readonly object: ObjectRef;
  /** The token's `spec`, and where it sits. */
  readonly spec: PlainObject;
  readonly specPath: DocPath;
  readonly metadata: PlainObject;
}

function tokenFrom(
  value: unknown,
  base: DocPath,
  fallbackName: string,
): ProvisionToken | undefined {
  if (!isObject(value) || !isObject(value['spec'])) return undefined;
  const metadata = isObject(value['metadata']) ? value['metadata'] : {};
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : fallbackName;
  return {
    name,
    object: { kind: 'teleport token', name, namespace: null },
    spec: value['spec'],
    specPath: [...base, 'spec'],
    metadata,
  };
}

export function provisionTokens(document: ScanDocument): readonly ProvisionToken[] {
  const value = document.value;
  if (document.classification.kind === 'unknown') {
    if (!isObject(value) || value['kind'] !== 'token' || typeof value['version'] !== 'string')
      return [];
    const token = tokenFrom(value, [], document.file);
    return token === undefined ? [] : [token];
  }
  if (document.classification.kind !== 'terraform') return [];
  const out: ProvisionToken[] = [];
  for (const block of terraformBlocks(value, ['teleport_provision_token'])) {
    const token = tokenFrom(block.body, block.path, block.name);
    if (token !== undefined) out.push({ ...token, object: block.object });
  }
  return out;
}

export interface TbotConfig {
  readonly onboarding: PlainObject;
  readonly path: DocPath;
}

/** A tbot configuration: a top-level `onboarding` block with a join method or token. */
export function tbotConfig(document: ScanDocument): TbotConfig | undefined {
  if (document.classification.kind !== 'unknown' || !isObject(document.value)) return undefined;
  const onboarding = document.value['onboarding'];
  if (!isObject(onboarding) || !('join_method' in onboarding || 'token' in onboarding))
    return undefined;
  return { onboarding, path: ['onboarding'] };
}
