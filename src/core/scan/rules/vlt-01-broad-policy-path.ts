/**
 * VLT-01: a Vault policy grants a whole mount or all of Vault: `path "*"`, `secret/*`,
 * `secret/data/*`, or any path whose first segment after the mount (and after KV v2's
 * `data/`/`metadata/`) is a wildcard. Deny rules are narrowing and pass.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { vaultPolicies } from './support/vault-policies.ts';

const KV2_PREFIXES = new Set(['data', 'metadata', 'delete', 'undelete', 'destroy', 'subkeys']);

function isWildcard(segment: string | undefined): boolean {
  return segment !== undefined && (segment.startsWith('*') || segment === '+');
}

/** True for patterns that cover every secret of a mount (or of Vault). */
function coversWholeMount(pattern: string): boolean {
  const segments = pattern.replace(/^\/+/, '').split('/');
  if (isWildcard(segments[0])) return true;
  const next = segments[1];
  if (isWildcard(next)) return true;
  return next !== undefined && KV2_PREFIXES.has(next) && isWildcard(segments[2]);
}

export const rule = defineRule({
  meta: {
    id: 'VLT-01',
    title: 'Vault policy grants a whole mount',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['vault-policy', 'terraform'],
    message: 'The Vault policy grants every secret of a mount, or all of Vault.',
    fix: 'Scope the path to the workload, e.g. `secret/data/ns/{{identity.entity.aliases.<accessor>.metadata.service_account_namespace}}/*`.',
    docsAnchor: 'vlt-01',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const policy of vaultPolicies(document)) {
      for (const rule of policy.rules) {
        if (rule.capabilities.every((capability) => capability === 'deny')) continue;
        if (!coversWholeMount(rule.pattern)) continue;
        findings.push({
          path: rule.path,
          message: `Policy ${policy.name} grants ${rule.capabilities.join(', ') || 'access'} on ${JSON.stringify(rule.pattern)}, which covers a whole mount.`,
          ...(policy.object === undefined ? {} : { object: policy.object }),
        });
      }
    }
    return findings;
  },
});
