/**
 * VLT-06: a Kubernetes-auth role issues Vault tokens that live too long: `token_ttl` over 1 h
 * (INV-2), or `token_max_ttl` over 4 h (over 24 h: critical). An unset `token_ttl` falls back
 * to the mount default, 32 days unless the mount is tuned.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ttlViolation } from './support/ttl-check.ts';
import { vaultRoles } from './support/vault-roles.ts';

const HOUR = 3600;

export const rule = defineRule({
  meta: {
    id: 'VLT-06',
    title: 'Kubernetes-auth role token lifetime too long',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The Kubernetes-auth role issues Vault tokens that outlive the 1 h / 4 h limits.',
    fix: 'Set `token_ttl=1h` and `token_max_ttl=4h` on the role.',
    docsAnchor: 'vlt-06',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'kubernetes') continue;
      const ttl = ttlViolation(role, {
        keys: ['token_ttl', 'ttl'],
        steps: [[HOUR, 'high']],
        unset: 'medium',
      });
      const max = ttlViolation(role, {
        keys: ['token_max_ttl', 'max_ttl'],
        steps: [
          [4 * HOUR, 'medium'],
          [24 * HOUR, 'critical'],
        ],
      });
      for (const violation of [ttl, max]) {
        if (violation === undefined) continue;
        findings.push({
          path: violation.path,
          severity: violation.severity,
          message: `Role ${role.name} has ${violation.key} ${violation.shown}; the limit is ${violation.limit}.`,
          object: role.object,
        });
      }
    }
    return findings;
  },
});
