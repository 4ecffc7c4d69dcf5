/**
 * GL-01: a GitLab job uses the deprecated `CI_JOB_JWT` / `CI_JOB_JWT_V2` (removed in GitLab
 * 17.0, audience-less), or logs in to Vault or a cloud with no `id_tokens:` block to mint a
 * token for that audience.
 */
import { walk } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { gitlabJobs, inheritsKey, scriptLines } from './support/gitlab-ci.ts';

const LEGACY_JWT = /\bCI_JOB_JWT(?:_V[12])?\b/;
/** Script lines that exchange a CI token for Vault or cloud credentials. */
const TOKEN_LOGIN =
  /\bvault\s+(?:write\b.*\bauth\/[^\s/]+\/login\b|login\b.*-method=jwt)|\baws\s+sts\s+assume-role-with-web-identity\b|\bgcloud\s+iam\s+workload-identity-pools\s+create-cred-config\b|\baz\s+login\b.*--federated-token\b/;

export const rule = defineRule({
  meta: {
    id: 'GL-01',
    title: 'Legacy CI_JOB_JWT or token login without id_tokens',
    invariants: ['INV-5'],
    severity: 'high',
    appliesTo: ['gitlab-ci'],
    message:
      'The job relies on the removed CI_JOB_JWT token or logs in without an `id_tokens:` token.',
    fix: 'Declare `id_tokens: { VAULT_ID_TOKEN: { aud: <audience the role binds> } }` on the job and pass `$VAULT_ID_TOKEN` to the login instead of CI_JOB_JWT.',
    docsAnchor: 'gl-01',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    walk(document.value, ({ path, value }) => {
      if (typeof value !== 'string' || !LEGACY_JWT.test(value)) return;
      const name = LEGACY_JWT.exec(value)?.[0] ?? 'CI_JOB_JWT';
      findings.push({
        path,
        message: `${name} is deprecated and removed in GitLab 17.0; request a token with \`id_tokens:\` instead.`,
      });
    });
    for (const job of gitlabJobs(document.value)) {
      if (job.hidden || inheritsKey(document.value, job, 'id_tokens') !== false) continue;
      const login = scriptLines(job).find(
        (entry) => TOKEN_LOGIN.test(entry.line) && !LEGACY_JWT.test(entry.line),
      );
      const vaultSecrets = job.job['secrets'] !== undefined;
      if (login === undefined && !vaultSecrets) continue;
      findings.push({
        path: login?.path ?? [...job.path, 'secrets'],
        message:
          login === undefined
            ? `Job ${job.name} reads Vault \`secrets:\` but declares no \`id_tokens:\` to authenticate with.`
            : `Job ${job.name} logs in with a CI token but declares no \`id_tokens:\` block.`,
        object: job.object,
      });
    }
    return findings;
  },
});
