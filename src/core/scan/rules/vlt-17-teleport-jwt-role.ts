/**
 * VLT-17: a JWT role for Teleport machine identities (`auth/teleport`) that does not bind the
 * bot (`bound_claims.bot_name`), so any bot of the cluster logs in, or whose tokens live over 1 h.
 */
import { isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ttlViolation } from './support/ttl-check.ts';
import { jwtFamily, roleField, vaultRoles } from './support/vault-roles.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-17',
    title: 'Teleport JWT role without bot binding or with long tokens',
    invariants: ['INV-7', 'INV-2'],
    severity: 'medium',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The Teleport JWT role does not bind a bot name, or issues tokens over 1 h.',
    fix: 'Set `bound_claims = { bot_name = "<bot>" }` and `token_ttl=1h` on the role.',
    docsAnchor: 'vlt-17',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt' || jwtFamily(role) !== 'teleport') continue;
      const claims = roleField(role, 'bound_claims');
      if (!isObject(claims?.value) || claims.value['bot_name'] === undefined) {
        findings.push({
          path: claims?.path ?? role.path,
          message: `Teleport role ${role.name} does not bind bound_claims.bot_name, so any bot can log in.`,
          object: role.object,
        });
      }
      const ttl = ttlViolation(role, {
        keys: ['token_ttl', 'ttl'],
        steps: [[3600, 'medium']],
        unset: 'medium',
      });
      if (ttl !== undefined) {
        findings.push({
          path: ttl.path,
          message: `Teleport role ${role.name} has ${ttl.key} ${ttl.shown}; the limit is ${ttl.limit}.`,
          object: role.object,
        });
      }
    }
    return findings;
  },
});
