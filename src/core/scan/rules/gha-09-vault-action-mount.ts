/**
 * GHA-09: hashicorp/vault-action with `method: jwt` logs in through a mount other than the
 * GitHub JWT mount, or names no `role` (Vault then falls back to the mount's `default_role`,
 * which the workflow cannot see).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { workflowJobs } from './support/github-workflow.ts';

/** JWT mounts for GitHub's issuer: the catalogue's `auth/github-actions`, or a `github-*` variant. */
const GITHUB_MOUNT = /^github(?:[-_][\w-]+)?$/;

export const rule = defineRule({
  meta: {
    id: 'GHA-09',
    title: 'vault-action JWT login through an unexpected mount or without a role',
    invariants: ['INV-5'],
    severity: 'low',
    appliesTo: ['github-workflow'],
    message:
      "vault-action logs in with the job's OIDC token through an unexpected mount or without a role.",
    fix: 'Set `path: github-actions` (the JWT mount configured for token.actions.githubusercontent.com) and a `role` bound to this repository.',
    docsAnchor: 'gha-09',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of workflowJobs(document.value)) {
      for (const step of job.steps) {
        if (step.action !== 'hashicorp/vault-action') continue;
        const method = step.inputs['method'];
        if (typeof method !== 'string' || method.trim().toLowerCase() !== 'jwt') continue;
        const mount = step.inputs['path'];
        if (typeof mount !== 'string' || !GITHUB_MOUNT.test(mount.trim().replace(/^auth\//, ''))) {
          findings.push({
            path: [...step.path, 'with', mount === undefined ? 'method' : 'path'],
            message:
              mount === undefined
                ? `"${step.label}" uses the default \`jwt\` mount rather than the GitHub JWT mount.`
                : `"${step.label}" logs in through mount ${JSON.stringify(mount)}, not the GitHub JWT mount.`,
            object: job.object,
          });
        }
        if (step.inputs['role'] === undefined) {
          findings.push({
            path: [...step.path, 'with', 'method'],
            message: `"${step.label}" names no \`role\`, so Vault picks the mount's default role.`,
            object: job.object,
          });
        }
      }
    }
    return findings;
  },
});
