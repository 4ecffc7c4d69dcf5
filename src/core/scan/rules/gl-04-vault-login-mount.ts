/**
 * GL-04: a GitLab job logs in to Vault (`vault write auth/<mount>/login`) through a mount other
 * than the GitLab JWT mount, or without `role=`, leaving the role to the mount's default.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { gitlabJobs, scriptLines } from './support/gitlab-ci.ts';

const LOGIN = /\bvault\s+write\b.*?\bauth\/([^\s/]+)\/login\b(.*)$/;
const GITLAB_MOUNT = /^gitlab(?:[-_][\w-]+)?$/;

export const rule = defineRule({
  meta: {
    id: 'GL-04',
    title: 'Vault login through an unexpected mount or without a role',
    invariants: ['INV-5'],
    severity: 'low',
    appliesTo: ['gitlab-ci'],
    message: 'A job logs in to Vault through an unexpected mount or without naming a role.',
    fix: 'Log in with `vault write auth/gitlab/login role=<role> jwt=$VAULT_ID_TOKEN`, naming the GitLab JWT mount and a role bound to this project.',
    docsAnchor: 'gl-04',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of gitlabJobs(document.value)) {
      for (const line of scriptLines(job)) {
        const match = LOGIN.exec(line.line);
        if (match === null) continue;
        const mount = match[1] ?? '';
        // Kubernetes mounts belong to in-cluster runners (INV-4), not to this check.
        if (mount.startsWith('kubernetes')) continue;
        const problems: string[] = [];
        if (!GITLAB_MOUNT.test(mount))
          problems.push(`mount auth/${mount} is not the GitLab JWT mount`);
        if (!/(?:^|\s)role=/.test(match[2] ?? '')) problems.push('no `role=` is given');
        if (problems.length === 0) continue;
        findings.push({
          path: line.path,
          message: `Job ${job.name} logs in to Vault but ${problems.join(' and ')}.`,
          object: job.object,
        });
      }
    }
    return findings;
  },
});
