/**
 * GHA-07: a job assumes a production identity (a role ARN, Vault role, workload identity
 * provider or audience naming `prod`) without an `environment:`, so no environment protection
 * rule (required reviewers, deployment branches) stands between any branch and production.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { credentialUse, workflowJobs } from './support/github-workflow.ts';

/** Inputs that name the identity a step assumes. */
const IDENTITY_INPUTS = [
  'role-to-assume',
  'role',
  'workload_identity_provider',
  'service_account',
  'audience',
  'jwtGithubAudience',
  'client-id',
];
const PROD = /prod/i;

export const rule = defineRule({
  meta: {
    id: 'GHA-07',
    title: 'Production identity without a deployment environment',
    invariants: ['INV-7', 'INV-9'],
    severity: 'medium',
    appliesTo: ['github-workflow'],
    message: 'A job assumes a production identity without a protected `environment:`.',
    fix: 'Add `environment: production` to the job, protect that environment (required reviewers, `main` only), and pin the trust policy `sub` to `repo:<org>/<repo>:environment:production`.',
    docsAnchor: 'gha-07',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      if (job.job['environment'] !== undefined) continue;
      for (const step of job.steps) {
        if (credentialUse(step) !== 'oidc') continue;
        const input = IDENTITY_INPUTS.find((name) => {
          const value = step.inputs[name];
          return typeof value === 'string' && PROD.test(value);
        });
        if (input === undefined) continue;
        findings.push({
          path: [...step.path, 'with', input],
          message: `Job ${job.id} assumes a production identity through \`${input}\` but declares no \`environment:\`.`,
          object: job.object,
        });
        break;
      }
    }
    return findings;
  },
});
