/**
 * VLT-05: a Kubernetes-auth role bound to `*` service accounts or `*` namespaces: any pod of the
 * cluster (or of the namespace) logs in with the role's policies.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { listValue, roleField, vaultRoles } from './support/vault-roles.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-05',
    title: 'Kubernetes-auth role bound to every service account or namespace',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The Kubernetes-auth role accepts every service account or every namespace.',
    fix: "Bind the role to the workload's own service account and namespace (one role per workload, named `<namespace>-<workload>`).",
    docsAnchor: 'vlt-05',
    // TKN-05 (a role for the Tekton namespace with every service account) is this rule's case.
    covers: ['TKN-05'],
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'kubernetes') continue;
      for (const key of ['bound_service_account_names', 'bound_service_account_namespaces']) {
        const field = roleField(role, key);
        if (field === undefined || !listValue(field.value).includes('*')) continue;
        findings.push({
          path: field.path,
          message: `Role ${role.name} sets ${key} to "*", so every ${key.endsWith('names') ? 'service account' : 'namespace'} can log in.`,
          object: role.object,
        });
      }
    }
    return findings;
  },
});
