/**
 * GHA-05: a job exchanges its OIDC token (role-to-assume, workload_identity_provider, azure/login
 * client-id, vault-action `method: jwt`, our own actions) while its effective `permissions` do
 * not include `id-token: write`, so the runner refuses to mint the token and the job fails.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  credentialUse,
  effectivePermissions,
  grantsIdToken,
  workflowJobs,
} from './support/github-workflow.ts';

export const rule = defineRule({
  meta: {
    id: 'GHA-05',
    title: 'OIDC step without id-token: write',
    invariants: ['INV-5'],
    severity: 'medium',
    appliesTo: ['github-workflow'],
    message: "A step exchanges the job's OIDC token but the job is not granted `id-token: write`.",
    fix: 'Add `permissions: { id-token: write, contents: read }` to this job (not to the whole workflow).',
    docsAnchor: 'gha-05',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      const step = job.steps.find((candidate) => credentialUse(candidate) === 'oidc');
      if (step === undefined) continue;
      const permissions = effectivePermissions(document.value, job);
      if (grantsIdToken(permissions.value)) continue;
      const where =
        permissions.path === undefined ? 'the default token permissions' : 'its `permissions`';
      findings.push({
        // Point at the permissions block that needs the grant, else at the step that needs it.
        path: permissions.path ?? [...step.path, 'uses'],
        message: `Job ${job.id} runs "${step.label}", which needs an OIDC token, but ${where} lack \`id-token: write\`.`,
        object: job.object,
      });
    }
    return findings;
  },
});
