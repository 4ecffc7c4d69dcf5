/**
 * VLT-14: an AppRole role whose SecretID or tokens outlive the catalogue's limits
 * (`secret_id_num_uses=1`, `secret_id_ttl` ≤ 1 h, `token_ttl` ≤ 1 h, `token_max_ttl` ≤ 4 h).
 * Vault's defaults (0) mean unlimited uses and no expiry, so unset fields count.
 */
import { durationSeconds } from './support/durations.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ttlViolation } from './support/ttl-check.ts';
import { roleField, vaultRoles } from './support/vault-roles.ts';

const HOUR = 3600;

export const rule = defineRule({
  meta: {
    id: 'VLT-14',
    title: 'AppRole SecretID or token limits too loose',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The AppRole role issues reusable or long-lived SecretIDs or tokens.',
    fix: 'Set `secret_id_num_uses=1`, `secret_id_ttl=1h`, `token_ttl=1h` and `token_max_ttl=4h` on the role.',
    docsAnchor: 'vlt-14',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'approle') continue;
      const uses = roleField(role, 'secret_id_num_uses');
      const count = durationSeconds(uses?.value);
      if (uses === undefined || count !== 1) {
        findings.push({
          path: uses?.path ?? role.path,
          message:
            uses === undefined || count === 0
              ? `Role ${role.name} lets each SecretID be used without limit (secret_id_num_uses ${uses === undefined ? 'unset' : '0'}).`
              : `Role ${role.name} lets each SecretID be used ${String(uses.value)} times; bootstrap secrets must be single-use.`,
          object: role.object,
        });
      }
      const limits = [
        { keys: ['secret_id_ttl'], steps: [[HOUR, 'high']], unset: 'high' },
        { keys: ['token_ttl', 'ttl'], steps: [[HOUR, 'high']], unset: 'high' },
        { keys: ['token_max_ttl', 'max_ttl'], steps: [[4 * HOUR, 'high']] },
      ] as const;
      for (const limit of limits) {
        const violation = ttlViolation(role, limit);
        if (violation === undefined) continue;
        findings.push({
          path: violation.path,
          message: `Role ${role.name} has ${violation.key} ${violation.shown}; the limit is ${violation.limit}.`,
          object: role.object,
        });
      }
    }
    return findings;
  },
});
