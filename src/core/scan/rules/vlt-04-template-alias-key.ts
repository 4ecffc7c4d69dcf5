/**
 * VLT-04: a policy template reads `identity.entity.aliases.<X>` where X is neither a mount
 * accessor (`auth_kubernetes_1a2b3c4d`) nor the catalogue's `auth_kubernetes-<cluster>` form;
 * Vault renders an unknown key as empty, so the path silently matches nothing (or too much).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { vaultPolicies } from './support/vault-policies.ts';

const ALIAS_KEY = /identity\.entity\.aliases\.([^.}\s]+)\./g;
/** A mount accessor (`auth_<type>_<8 hex>`), or the RFC's per-cluster name. */
const KNOWN_KEY =
  /^(?:auth_[a-z0-9]+_[0-9a-f]{8}|auth_kubernetes-[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)$/;

export const rule = defineRule({
  meta: {
    id: 'VLT-04',
    title: 'Policy template names an unknown alias key',
    invariants: ['INV-7'],
    severity: 'low',
    appliesTo: ['vault-policy', 'terraform'],
    message: 'A policy template reads an entity alias by a key that is not a mount accessor.',
    fix: 'Use the Kubernetes auth mount accessor (`vault auth list -format=json | jq -r \'."kubernetes-<cluster>/".accessor\'`), e.g. `identity.entity.aliases.auth_kubernetes_1a2b3c4d.metadata.service_account_namespace`.',
    docsAnchor: 'vlt-04',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const policy of vaultPolicies(document)) {
      for (const rule of policy.rules) {
        for (const match of rule.pattern.matchAll(ALIAS_KEY)) {
          const key = match[1] ?? '';
          // `${vault_auth_backend.k8s.accessor}` is resolved by Terraform: not ours to judge.
          if (KNOWN_KEY.test(key) || key.includes('$')) continue;
          findings.push({
            path: rule.path,
            message: `Policy ${policy.name} reads identity.entity.aliases.${key}, which is not a mount accessor.`,
            ...(policy.object === undefined ? {} : { object: policy.object }),
          });
        }
      }
    }
    return findings;
  },
});
