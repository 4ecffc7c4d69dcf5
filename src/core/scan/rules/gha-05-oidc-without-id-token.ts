/**
 * GHA-05: a job exchanges its OIDC token (role-to-assume, workload_identity_provider, azure/login
 * client-id, vault-action `method: jwt`, our own actions) while its effective `permissions` do
 * not include `id-token: write`, so the runner refuses to mint the token and the job fails.
 *
 * A reusable workflow (`on: workflow_call` alone) with no `permissions` of its own runs with its
 * caller's: only the caller can withhold the grant, so the caller is the one flagged, when the
 * scan holds it; a called workflow may narrow the caller's grant but never widen it.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  credentialUse,
  effectivePermissions,
  exchangesOidc,
  grantsIdToken,
  isReusableOnly,
  reusableCalls,
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
    fix: 'Add `permissions: { id-token: write, contents: read }` to this job (not to the whole workflow); for a reusable workflow, to the job that calls it.',
    docsAnchor: 'gha-05',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    const reusable = isReusableOnly(document.value);
    for (const job of workflowJobs(document.value)) {
      const step = job.steps.find((candidate) => credentialUse(candidate) === 'oidc');
      if (step === undefined) continue;
      const permissions = effectivePermissions(document.value, job);
      if (grantsIdToken(permissions.value)) continue;
      // Without a block of its own, a reusable workflow's grant is the caller's to give.
      if (reusable && permissions.path === undefined) continue;
      const where =
        permissions.path === undefined ? 'the default token permissions' : 'its `permissions`';
      findings.push({
        // Point at the permissions block that needs the grant, else at the step that needs it.
        path: permissions.path ?? [...step.path, 'uses'],
        message: `Job ${job.id} runs "${step.label}", which needs an OIDC token, but ${where} lack \`id-token: write\`.`,
        object: job.object,
      });
    }
    for (const call of reusableCalls(document, context)) {
      if (call.called === undefined || !exchangesOidc(call.called.value)) continue;
      const permissions = effectivePermissions(document.value, call.job);
      if (grantsIdToken(permissions.value)) continue;
      const where =
        permissions.path === undefined ? 'the default token permissions' : 'its `permissions`';
      findings.push({
        path: permissions.path ?? [...call.job.path, 'uses'],
        message: `Job ${call.job.id} calls ${call.uses}, which exchanges an OIDC token, but ${where} lack \`id-token: write\`, so the called workflow cannot have it either.`,
        object: call.job.object,
      });
    }
    return findings;
  },
});
