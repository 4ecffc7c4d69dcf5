/**
 * GHA-10: a job that holds credentials runs a third-party action by tag or branch. Whoever can
 * move that tag runs code with the job's cloud credentials and OIDC token; a full commit SHA
 * cannot be moved.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  credentialUse,
  effectivePermissions,
  grantsIdToken,
  workflowJobs,
} from './support/github-workflow.ts';

/** Actions published by GitHub itself; third-party means any other owner. */
const FIRST_PARTY_OWNERS = new Set(['actions', 'github']);
const FULL_SHA = /^[0-9a-f]{40}$/i;

export const rule = defineRule({
  meta: {
    id: 'GHA-10',
    title: 'Unpinned third-party action in a credential-bearing job',
    invariants: ['INV-9'],
    severity: 'medium',
    appliesTo: ['github-workflow'],
    message: 'A job that holds credentials runs a third-party action not pinned to a commit SHA.',
    fix: 'Pin the action to a full 40-character commit SHA (keep the tag in a trailing comment) and let Dependabot or Renovate update it.',
    docsAnchor: 'gha-10',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      const bearsCredentials =
        grantsIdToken(effectivePermissions(document.value, job).value) ||
        job.steps.some((step) => credentialUse(step) !== undefined);
      if (!bearsCredentials) continue;
      for (const step of job.steps) {
        if (step.action === undefined) continue;
        const owner = step.action.split('/')[0] ?? '';
        if (FIRST_PARTY_OWNERS.has(owner)) continue;
        if (step.ref !== undefined && FULL_SHA.test(step.ref)) continue;
        findings.push({
          path: [...step.path, 'uses'],
          message: `Job ${job.id} holds credentials and runs ${step.action}@${step.ref ?? '(no ref)'}, which is not pinned to a commit SHA.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
