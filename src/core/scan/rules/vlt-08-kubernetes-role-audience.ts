/**
 * VLT-08: a Kubernetes-auth role without `audience` while the scanned workloads project tokens
 * for an audience (`serviceAccountToken.audience`, e.g. `vault`): Vault then accepts a token
 * minted for any audience, including the API server's.
 */
import { walk } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { vaultRoles } from './support/vault-roles.ts';
import { perScan } from './support/per-scan.ts';

/** Audiences of projected service-account tokens in the scanned pod templates. */
function projectedAudiences(context: ScanContext): ReadonlySet<string> {
  const audiences = new Set<string>();
  for (const document of context.byKind('k8s')) {
    if (document.classification.family !== 'workload') continue;
    walk(document.value, ({ key, value, path }) => {
      if (key !== 'audience' || typeof value !== 'string') return;
      if (path.at(-2) === 'serviceAccountToken') audiences.add(value);
    });
  }
  return audiences;
}

export const rule = defineRule({
  meta: {
    id: 'VLT-08',
    title: 'Kubernetes-auth role without an audience',
    invariants: ['INV-4'],
    severity: 'low',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The Kubernetes-auth role does not require the audience the workloads project.',
    fix: "Set `audience=vault` on the role, matching the projected token's `audience`.",
    docsAnchor: 'vlt-08',
  },
  check(document, context) {
    const roles = vaultRoles(document).filter(
      (role) => role.type === 'kubernetes' && role.fields['audience'] === undefined,
    );
    if (roles.length === 0) return [];
    const audiences = perScan(context, projectedAudiences);
    if (audiences.size === 0) return [];
    const wanted = audiences.has('vault') ? 'vault' : [...audiences].join(', ');
    return roles.map((role): RuleFinding => ({
      path: role.path,
      message: `Role ${role.name} sets no audience while workloads project tokens for ${wanted}.`,
      object: role.object,
    }));
  },
});
