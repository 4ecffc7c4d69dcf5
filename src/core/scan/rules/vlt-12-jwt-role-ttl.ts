/**
 * VLT-12: a CI JWT role issues Vault tokens that outlive the job: over 10 minutes is low (the
 * catalogue's CI value), over 1 hour is high (INV-2).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ttlViolation } from './support/ttl-check.ts';
import { jwtFamily, vaultRoles } from './support/vault-roles.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-12',
    title: 'CI JWT role token lifetime too long',
    invariants: ['INV-2'],
    severity: 'low',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The CI JWT role issues Vault tokens living longer than 10 minutes.',
    fix: 'Set `token_ttl=10m` (and `token_max_ttl` no higher than the longest job) on the role.',
    docsAnchor: 'vlt-12',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt') continue;
      const family = jwtFamily(role);
      if (family !== 'github' && family !== 'gitlab') continue;
      const violation = ttlViolation(role, {
        keys: ['token_ttl', 'ttl'],
        steps: [
          [600, 'low'],
          [3600, 'high'],
        ],
        unset: 'high',
      });
      if (violation === undefined) continue;
      findings.push({
        path: violation.path,
        severity: violation.severity,
        message: `Role ${role.name} has ${violation.key} ${violation.shown}; CI tokens should live ${violation.limit}.`,
        object: role.object,
      });
    }
    return findings;
  },
});
