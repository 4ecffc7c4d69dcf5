/**
 * VLT-02: a workload policy grants `sudo`, or writes under `sys/`, `auth/` or `identity/`,
 * letting the workload reconfigure Vault or mint identities for others (INV-9). The token
 * self-service paths Vault's own default policy grants are not privileged.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isPlatformPolicy, vaultPolicies, WRITE_CAPABILITIES } from './support/vault-policies.ts';

const PRIVILEGED_PREFIX = /^\/?(?:sys|auth|identity)\//;
/** Self-service endpoints of Vault's `default` policy (a token managing itself). */
const SELF_SERVICE =
  /^(?:auth\/token\/(?:lookup-self|renew-self|revoke-self)|sys\/(?:capabilities-self|renew|leases\/(?:renew|lookup)|wrapping\/(?:wrap|unwrap|lookup|rewrap)|tools\/hash(?:\/.*)?|control-group\/request|mfa\/challenge)|identity\/oidc\/token\/[^*+]+)$/;

export const rule = defineRule({
  meta: {
    id: 'VLT-02',
    title: 'Workload policy with sudo or Vault-administration writes',
    invariants: ['INV-9'],
    severity: 'high',
    appliesTo: ['vault-policy', 'terraform'],
    message:
      'A workload policy can administer Vault (sudo, or writes under sys/, auth/ or identity/).',
    fix: 'Remove `sudo` and the sys/, auth/, identity/ write capabilities from the workload policy; keep them in a platform policy bound to operators.',
    docsAnchor: 'vlt-02',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const policy of vaultPolicies(document)) {
      if (isPlatformPolicy(policy.name)) continue;
      for (const rule of policy.rules) {
        const sudo = rule.capabilities.includes('sudo');
        const writes = rule.capabilities.filter((capability) =>
          (WRITE_CAPABILITIES as readonly string[]).includes(capability),
        );
        const administrative =
          PRIVILEGED_PREFIX.test(rule.pattern) &&
          !SELF_SERVICE.test(rule.pattern.replace(/^\//, ''));
        if (!sudo && !(administrative && writes.length > 0)) continue;
        findings.push({
          path: rule.path,
          message: sudo
            ? `Workload policy ${policy.name} grants sudo on ${JSON.stringify(rule.pattern)}.`
            : `Workload policy ${policy.name} grants ${writes.join(', ')} on ${JSON.stringify(rule.pattern)}, a Vault-administration path.`,
          ...(policy.object === undefined ? {} : { object: policy.object }),
        });
      }
    }
    return findings;
  },
});
