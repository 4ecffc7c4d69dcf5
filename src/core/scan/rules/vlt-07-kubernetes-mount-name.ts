/**
 * VLT-07: a Kubernetes auth mount not named per cluster (`auth/kubernetes-<cluster>`, or the
 * configured `clusters.vaultMount`). A bare `kubernetes` mount makes every cluster share one
 * trust configuration and one set of role names (INV-4; INVARIANTS.md §7.1: low).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { terraformBlocks, isReference } from './support/terraform.ts';
import { expectedMount, isClusterMount } from './support/vault-k8s-mount.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-07',
    title: 'Kubernetes auth mount not named per cluster',
    invariants: ['INV-4'],
    severity: 'low',
    appliesTo: ['terraform'],
    message: 'The Kubernetes auth mount is not named after its cluster.',
    fix: 'Mount Kubernetes auth once per cluster at `auth/kubernetes-<cluster>` and move its roles there.',
    docsAnchor: 'vlt-07',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    const mounts = terraformBlocks(document.value, ['vault_auth_backend']).filter(
      (block) => block.body['type'] === 'kubernetes',
    );
    for (const block of mounts) {
      const mount = block.body['path'];
      // Without `path`, Vault mounts the method at its type: `auth/kubernetes`.
      const name = typeof mount === 'string' ? mount : 'kubernetes';
      if (isReference(name) || isClusterMount(name, context.config)) continue;
      findings.push({
        path: typeof mount === 'string' ? [...block.path, 'path'] : [...block.path, 'type'],
        message: `Kubernetes auth is mounted at auth/${name}; expected ${expectedMount(context.config)}.`,
        object: block.object,
      });
    }
    return findings;
  },
});
