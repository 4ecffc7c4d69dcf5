/**
 * GHA-11: a credential-bearing job runs on a self-hosted runner without attesting it first
 * (our TPM attestation step, or Teleport's tbot). A GitHub-hosted runner is a fresh VM; a
 * self-hosted one is only as trustworthy as its attested state.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import type { WorkflowStep } from './support/github-workflow.ts';
import {
  credentialUse,
  effectivePermissions,
  grantsIdToken,
  runsOnSelfHosted,
  workflowJobs,
} from './support/github-workflow.ts';

function attests(step: WorkflowStep): boolean {
  const uses = typeof step.step['uses'] === 'string' ? step.step['uses'] : '';
  return (
    /tpm-attest|teleport-actions\/auth|\btbot\b/i.test(uses) ||
    /\bwif\s+tpm-attest\b|\btbot\s+start\b/.test(step.run)
  );
}

export const rule = defineRule({
  meta: {
    id: 'GHA-11',
    title: 'Self-hosted runner without attestation',
    invariants: ['INV-3'],
    severity: 'low',
    appliesTo: ['github-workflow'],
    message: 'A credential-bearing job runs on a self-hosted runner that is not attested.',
    fix: 'Add the `wif tpm-attest` step (or a tbot join) before the first credential step, or run the job on a GitHub-hosted runner.',
    docsAnchor: 'gha-11',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      if (!runsOnSelfHosted(job)) continue;
      const bearsCredentials =
        grantsIdToken(effectivePermissions(document.value, job).value) ||
        job.steps.some((step) => credentialUse(step) !== undefined);
      if (!bearsCredentials || job.steps.some(attests)) continue;
      findings.push({
        path: [...job.path, 'runs-on'],
        message: `Job ${job.id} holds credentials on a self-hosted runner with no attestation step.`,
        object: job.object,
      });
    }
    return findings;
  },
});
