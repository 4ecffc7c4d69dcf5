/**
 * GHA-08: credentials reachable from code the repository does not trust. `pull_request_target`
 * runs with the base repository's secrets and may mint an OIDC token while checking out a fork's
 * head; Dependabot runs (`github.actor == 'dependabot[bot]'`) must get no credentials at all.
 */
import type { DocPath } from '../document.ts';
import { isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import type { WorkflowJob } from './support/github-workflow.ts';
import {
  credentialUse,
  effectivePermissions,
  grantsIdToken,
  workflowJobs,
  workflowTriggers,
} from './support/github-workflow.ts';

/** Where the job gets a credential: its `id-token` grant, else its first credential step. */
function credentialPath(workflow: unknown, job: WorkflowJob): DocPath | undefined {
  const permissions = effectivePermissions(workflow, job);
  if (permissions.path !== undefined && grantsIdToken(permissions.value)) {
    return isObject(permissions.value) ? [...permissions.path, 'id-token'] : permissions.path;
  }
  const step = job.steps.find((candidate) => credentialUse(candidate) !== undefined);
  return step === undefined ? undefined : [...step.path, 'uses'];
}

const DEPENDABOT_IF =
  /github\.actor\s*==\s*['"]dependabot\[bot\]['"]|startsWith\(\s*github\.head_ref\s*,\s*['"]dependabot\//;

export const rule = defineRule({
  meta: {
    id: 'GHA-08',
    title: 'Credentials on an untrusted trigger',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['github-workflow'],
    message: 'Credentials are reachable from a run that executes untrusted code.',
    fix: 'Move credential-bearing jobs to a `push` or `workflow_run` workflow on protected branches, and keep `pull_request_target` jobs at `permissions: { contents: read }`.',
    docsAnchor: 'gha-08',
  },
  check(document) {
    const workflow = document.value;
    const prTarget = workflowTriggers(workflow).has('pull_request_target');
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(workflow)) {
      const path = credentialPath(workflow, job);
      if (path === undefined) continue;
      if (prTarget) {
        findings.push({
          path,
          message: `Job ${job.id} gets credentials in a \`pull_request_target\` workflow, which runs for pull requests from forks.`,
          object: job.object,
        });
        continue;
      }
      const condition = job.job['if'];
      if (typeof condition === 'string' && DEPENDABOT_IF.test(condition)) {
        findings.push({
          path: [...job.path, 'if'],
          message: `Job ${job.id} gets credentials on Dependabot runs, which must get none.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
