/**
 * VLT-11: a CI JWT role without `bound_audiences`. Vault then accepts a token minted for any
 * audience (one meant for a cloud provider, replayed), and Vault 1.16.3+ refuses the login
 * when the token carries an `aud` the role does not bind.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { jwtFamily, listValue, roleField, vaultRoles } from './support/vault-roles.ts';

export const rule = defineRule({
  meta: {
    id: 'VLT-11',
    title: 'CI JWT role without bound_audiences',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['vault-role', 'terraform'],
    message: 'The CI JWT role does not bind the audience its pipelines request.',
    fix: 'Set `bound_audiences` to the audience the pipeline requests (vault-action `jwtGithubAudience`, GitLab `id_tokens.<NAME>.aud`), e.g. `https://vault.example.com`.',
    docsAnchor: 'vlt-11',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const role of vaultRoles(document)) {
      if (role.type !== 'jwt') continue;
      const family = jwtFamily(role);
      if (family !== 'github' && family !== 'gitlab') continue;
      const field = roleField(role, 'bound_audiences');
      if (field !== undefined && listValue(field.value).length > 0) continue;
      findings.push({
        path: field?.path ?? role.path,
        message: `Role ${role.name} has no bound_audiences, so a token minted for any audience logs in.`,
        object: role.object,
      });
    }
    return findings;
  },
});
