/**
 * VLT-10: a CI JWT role with `bound_claims_type = "glob"` whose repository or project binding is
 * `*` or `<org>/*`: every repository of the organisation (or the platform) logs in with the
 * role's policies. High on roles carrying production policies, medium otherwise.
 */
import { entriesOf } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isProdRole, listValue, roleField, vaultRoles } from './support/vault-roles.ts';

const CALLER_CLAIMS = new Set(['repository', 'project_path', 'namespace_path', 'sub']);

/** `*`, `org/*`, `*\/repo`: a glob over the owner or the repository name. */
function isBroad(value: string): boolean {
  const [owner = '', ...rest] = value.replace(/^repo:|^project_path:/, '').split(/[/:]/);
  return owner.includes('*') || (rest[0] ?? '*').includes('*');
}

export const rule = defineRule({
  meta: {
    id: 'VLT-10',
    title: 'CI JWT role globbing a whole organisation',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The glob binding of the CI JWT role accepts every repository of an organisation.',
    fix: 'Replace the glob with the exact repository (`<org>/<repo>`) or list the repositories; keep `bound_claims_type = "string"` unless a ref needs a pattern.',
    docsAnchor: 'vlt-10',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt' || role.fields['bound_claims_type'] !== 'glob') continue;
      const claims = roleField(role, 'bound_claims');
      if (claims === undefined) continue;
      for (const [claim, value] of entriesOf(claims.value)) {
        if (!CALLER_CLAIMS.has(claim)) continue;
        const broad = listValue(value).filter(isBroad);
        if (broad.length === 0) continue;
        findings.push({
          path: [...claims.path, claim],
          severity: isProdRole(role) ? 'high' : 'medium',
          message: `Role ${role.name} binds ${claim} to ${broad.map((v) => JSON.stringify(v)).join(', ')} as a glob, accepting a whole organisation.`,
          object: role.object,
        });
      }
    }
    return findings;
  },
});
