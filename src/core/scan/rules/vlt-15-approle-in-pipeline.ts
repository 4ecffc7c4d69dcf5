/**
 * VLT-15: a pipeline on a platform that mints OIDC tokens logs in to Vault with AppRole
 * (`vault write auth/approle/login`, `vault login -method=approle`), which needs a stored
 * SecretID. GitHub's vault-action with `method: approle` is GHA-04's finding.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { runsOnSelfHosted, workflowJobs } from './support/github-workflow.ts';
import { gitlabJobs, scriptLines } from './support/gitlab-ci.ts';

const APPROLE_LOGIN =
  /\bvault\s+(?:write\b[^\n]*\bauth\/approle[^/\s]*\/login\b|login\b[^\n]*-method[= ]approle\b)/;

export const rule = defineRule({
  meta: {
    id: 'VLT-15',
    title: 'AppRole login from an OIDC-capable pipeline',
    invariants: ['INV-5', 'INV-4'],
    severity: 'high',
    appliesTo: ['github-workflow', 'gitlab-ci'],
    message:
      'The pipeline logs in to Vault with AppRole although its platform can present an OIDC token.',
    fix: 'Log in through the JWT mount with the OIDC token of the job (`id_tokens:` on GitLab, `id-token: write` on GitHub) and retire the SecretID.',
    docsAnchor: 'vlt-15',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    if (document.classification.kind === 'github-workflow') {
      for (const job of workflowJobs(document.value)) {
        if (runsOnSelfHosted(job)) continue;
        for (const step of job.steps) {
          if (!step.run.includes('approle') || !APPROLE_LOGIN.test(step.run)) continue;
          findings.push({
            path: [...step.path, 'run'],
            message: `"${step.label}" in job ${job.id} logs in to Vault with AppRole on a GitHub-hosted runner.`,
            object: job.object,
          });
        }
      }
      return findings;
    }
    for (const job of gitlabJobs(document.value)) {
      for (const line of scriptLines(job)) {
        if (!line.line.includes('approle') || !APPROLE_LOGIN.test(line.line)) continue;
        findings.push({
          path: line.path,
          message: `Job ${job.name} logs in to Vault with AppRole instead of an id_tokens JWT.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
