/**
 * GHA-08: credentials reachable from code the repository does not trust. `pull_request_target`
 * runs with the base repository's secrets and may mint an OIDC token while checking out a fork's
 * head (an `id-token` grant or a login step counts always, a stored secret once the job checks
 * out the pull request's head); Dependabot runs (`github.actor == 'dependabot[bot]'`, at job or
 * step level) must get no credentials at all.
 */
import type { DocPath } from '../document.ts';
import { entriesOf, isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import type { WorkflowJob } from './support/github-workflow.ts';
import {
  credentialUse,
  effectivePermissions,
  grantsIdToken,
  readsRepositorySecret,
  workflowJobs,
  workflowTriggers,
} from './support/github-workflow.ts';

function firstSecretIn(map: unknown, path: DocPath): DocPath | undefined {
  for (const [key, value] of entriesOf(map)) {
    if (readsRepositorySecret(value)) return [...path, key];
  }
  return undefined;
}

/** Where the job reads a stored secret: workflow or job `env`, a step's `env`, `with` or `run`. */
function secretPath(workflow: unknown, job: WorkflowJob): DocPath | undefined {
  const workflowEnv = isObject(workflow) ? firstSecretIn(workflow['env'], ['env']) : undefined;
  if (workflowEnv !== undefined) return workflowEnv;
  const jobEnv = firstSecretIn(job.job['env'], [...job.path, 'env']);
  if (jobEnv !== undefined) return jobEnv;
  for (const step of job.steps) {
    const found =
      firstSecretIn(step.step['env'], [...step.path, 'env']) ??
      firstSecretIn(step.inputs, [...step.path, 'with']) ??
      (readsRepositorySecret(step.run) ? [...step.path, 'run'] : undefined);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The pull request's own code: `ref: ${{ github.event.pull_request.head.sha }}` and the like. */
const PR_HEAD = /github\.(?:event\.pull_request\.head\.|head_ref\b)/;

/** True when a step checks out the pull request's head, the untrusted code. */
function checksOutPullRequestHead(job: WorkflowJob): boolean {
  return job.steps.some(
    (step) =>
      step.action === 'actions/checkout' &&
      [step.inputs['ref'], step.inputs['repository']].some(
        (value) => typeof value === 'string' && PR_HEAD.test(value),
      ),
  );
}

/**
 * Where the job gets a credential: its `id-token` grant, else its first credential step, else
 * (when `storedSecrets`) the first stored secret it reads.
 */
function credentialPath(
  workflow: unknown,
  job: WorkflowJob,
  storedSecrets: boolean,
): DocPath | undefined {
  const permissions = effectivePermissions(workflow, job);
  if (permissions.path !== undefined && grantsIdToken(permissions.value)) {
    return isObject(permissions.value) ? [...permissions.path, 'id-token'] : permissions.path;
  }
  const step = job.steps.find((candidate) => credentialUse(candidate) !== undefined);
  if (step !== undefined) return [...step.path, 'uses'];
  return storedSecrets ? secretPath(workflow, job) : undefined;
}

const DEPENDABOT = String.raw`['"]dependabot\[bot\]['"]`;
/** `github.actor == 'dependabot[bot]'` either way round, or a `dependabot/` head branch. */
const DEPENDABOT_IF = new RegExp(
  String.raw`github\.(?:actor|triggering_actor)\s*==\s*${DEPENDABOT}|${DEPENDABOT}\s*==\s*github\.(?:actor|triggering_actor)|startsWith\(\s*github\.head_ref\s*,\s*['"]dependabot/`,
);

function isDependabotCondition(condition: unknown): boolean {
  return typeof condition === 'string' && DEPENDABOT_IF.test(condition);
}

/** A step that gets a credential only on Dependabot runs: its own `if`. */
function dependabotCredentialStep(job: WorkflowJob): DocPath | undefined {
  for (const step of job.steps) {
    if (!isDependabotCondition(step.step['if'])) continue;
    const credential =
      credentialUse(step) !== undefined ||
      firstSecretIn(step.step['env'], []) !== undefined ||
      firstSecretIn(step.inputs, []) !== undefined ||
      readsRepositorySecret(step.run);
    if (credential) return [...step.path, 'if'];
  }
  return undefined;
}

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
      const stepPath = prTarget ? undefined : dependabotCredentialStep(job);
      if (stepPath !== undefined) {
        findings.push({
          path: stepPath,
          message: `Job ${job.id} gets credentials on Dependabot runs, which must get none.`,
          object: job.object,
        });
        continue;
      }
      // A stored secret on pull_request_target is the "pwn request" once the job runs the pull
      // request's code; without that checkout (labelers, triage bots) it is the documented use.
      const path = credentialPath(workflow, job, prTarget ? checksOutPullRequestHead(job) : true);
      if (path === undefined) continue;
      if (prTarget) {
        findings.push({
          path,
          message: `Job ${job.id} gets credentials in a \`pull_request_target\` workflow, which runs for pull requests from forks.`,
          object: job.object,
        });
        continue;
      }
      if (isDependabotCondition(job.job['if'])) {
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
