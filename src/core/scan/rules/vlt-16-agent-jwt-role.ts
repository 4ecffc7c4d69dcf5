/**
 * VLT-16: a JWT role for AI agents (`auth/agents`) that loses the delegation context or lives
 * too long: `user_claim` other than `sub`, no `bound_audiences`, no `groups_claim`, or a
 * token TTL over 1 h.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ttlViolation } from './support/ttl-check.ts';
import { jwtFamily, listValue, roleField, vaultRoles } from './support/vault-roles.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-16',
    title: 'Agent JWT role loses identity or lives too long',
    invariants: ['INV-8', 'INV-2'],
    severity: 'medium',
    appliesTo: ['vault-role', 'terraform'],
    message:
      'The agent JWT role does not keep the agent identity and audience, or issues tokens over 1 h.',
    fix: 'Set `user_claim="sub"`, `groups_claim`, `bound_audiences` and `token_ttl=1h` on the role.',
    docsAnchor: 'vlt-16',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt' || jwtFamily(role) !== 'agents') continue;
      const object = role.object;
      const userClaim = roleField(role, 'user_claim');
      if (userClaim?.value !== 'sub') {
        findings.push({
          path: userClaim?.path ?? role.path,
          message: `Agent role ${role.name} maps entities from ${userClaim === undefined ? 'no user_claim' : `user_claim ${JSON.stringify(userClaim.value)}`} instead of sub.`,
          object,
        });
      }
      const audiences = roleField(role, 'bound_audiences');
      if (audiences === undefined || listValue(audiences.value).length === 0) {
        findings.push({
          path: audiences?.path ?? role.path,
          message: `Agent role ${role.name} has no bound_audiences.`,
          object,
        });
      }
      if (roleField(role, 'groups_claim') === undefined) {
        findings.push({
          path: role.path,
          message: `Agent role ${role.name} has no groups_claim.`,
          object,
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
          message: `Agent role ${role.name} has ${ttl.key} ${ttl.shown}; the limit is ${ttl.limit}.`,
          object,
        });
      }
    }
    return findings;
  },
});
