/**
 * VLT-03: a workload policy names a literal namespace (`secret/data/ns/payments/*`) that none of
 * the Kubernetes-auth roles granting it are bound to, so a workload of another namespace reads
 * that namespace's secrets. Templated paths (`{{identity.entity.aliases…}}`) cannot drift.
 */
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isPlatformPolicy, vaultPolicies } from './support/vault-policies.ts';
import type { VaultRole } from './support/vault-roles.ts';
import { listValue, roleField, rolePolicies, vaultRoles } from './support/vault-roles.ts';
import { perScan } from './support/per-scan.ts';

const LITERAL_NAMESPACE = /^\/?[^/]+\/(?:data\/|metadata\/)?ns\/([a-z0-9][-a-z0-9]*)(?:\/|$)/;

function kubernetesRoles(context: ScanContext): readonly VaultRole[] {
  return context.documents.flatMap((document) =>
    vaultRoles(document).filter((role) => role.type === 'kubernetes'),
  );
}

export const rule = defineRule({
  meta: {
    id: 'VLT-03',
    title: 'Policy namespace differs from the namespaces of its roles',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['vault-policy', 'terraform'],
    message:
      'A workload policy grants secrets of a namespace its Kubernetes-auth roles are not bound to.',
    fix: 'Template the path on the caller (`secret/data/ns/{{identity.entity.aliases.<accessor>.metadata.service_account_namespace}}/*`) or bind the role to the namespace the path names.',
    docsAnchor: 'vlt-03',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    let roles: readonly VaultRole[] | undefined;
    for (const policy of vaultPolicies(document)) {
      if (isPlatformPolicy(policy.name)) continue;
      for (const rule of policy.rules) {
        const namespace = LITERAL_NAMESPACE.exec(rule.pattern)?.[1];
        if (namespace === undefined) continue;
        roles ??= perScan(context, kubernetesRoles);
        const granting = roles.filter((role) => rolePolicies(role).includes(policy.name));
        if (granting.length === 0) continue;
        const bound = new Set(
          granting.flatMap((role) =>
            listValue(roleField(role, 'bound_service_account_namespaces')?.value),
          ),
        );
        if (bound.has(namespace) || bound.has('*')) continue;
        findings.push({
          path: rule.path,
          message: `Policy ${policy.name} grants namespace ${namespace}, but the roles using it (${granting.map((role) => role.name).join(', ')}) are bound to ${[...bound].join(', ') || 'no namespace'}.`,
          ...(policy.object === undefined ? {} : { object: policy.object }),
        });
      }
    }
    return findings;
  },
});
