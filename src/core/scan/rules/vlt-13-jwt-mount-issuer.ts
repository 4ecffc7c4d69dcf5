/**
 * VLT-13: a JWT auth mount (`vault_jwt_auth_backend`) whose `bound_issuer` or
 * `oidc_discovery_url` is not an expected issuer: not https, not configured in `issuers:`, or
 * not GitHub's issuer on a mount named for GitHub (GitLab's on one named for GitLab).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isReference, terraformBlocks } from './support/terraform.ts';

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

export const rule = defineRule({
  meta: {
    id: 'VLT-13',
    title: 'JWT auth mount trusts an unexpected issuer',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['terraform'],
    message: 'The JWT auth mount trusts an issuer that is not an expected CI or identity issuer.',
    fix: 'Set `oidc_discovery_url` and `bound_issuer` to the issuer of the platform (e.g. `https://token.actions.githubusercontent.com` on `auth/github-actions`), and list self-hosted issuers under `issuers:` in .wif.yaml.',
    docsAnchor: 'vlt-13',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    const configured = new Set(context.config.issuers.map(normalise));
    for (const block of terraformBlocks(document.value, ['vault_jwt_auth_backend'])) {
      const mount = typeof block.body['path'] === 'string' ? block.body['path'] : 'jwt';
      for (const key of ['oidc_discovery_url', 'bound_issuer']) {
        const raw = block.body[key];
        if (typeof raw !== 'string' || isReference(raw)) continue;
        const issuer = normalise(raw);
        let problem: string | undefined;
        if (!issuer.startsWith('https://')) problem = 'is not https';
        else if (/github/i.test(mount) && issuer !== GITHUB_ISSUER)
          problem = `is not ${GITHUB_ISSUER}`;
        else if (/gitlab/i.test(mount) && !/gitlab/i.test(issuer))
          problem = 'is not a GitLab issuer';
        // Keycloak realms and Teleport clusters serve agents and machines (§9.6, §10.6).
        else if (!configured.has(issuer) && !/\/realms\/|teleport/i.test(issuer))
          problem = 'is not a configured issuer';
        if (problem === undefined) continue;
        findings.push({
          path: [...block.path, key],
          message: `Mount auth/${mount} trusts ${key} ${raw}, which ${problem}.`,
          object: block.object,
        });
      }
    }
    return findings;
  },
});
