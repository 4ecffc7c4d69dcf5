/**
 * GL-05: a production deploy job (named, staged or audienced for production) that is neither
 * bound to a production `environment:` nor limited to the default branch, tags or protected
 * refs, so any branch's pipeline can reach production credentials.
 */
import { isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import type { GitlabJob } from './support/gitlab-ci.ts';
import { gitlabJobs } from './support/gitlab-ci.ts';
import { restrictedToProtectedRefs } from './support/gitlab-ref-gate.ts';

const PROD = /\bprod(?:uction)?\b|[-_]prod(?:uction)?\b|\bprod(?:uction)?[-_]/i;
function environmentName(job: GitlabJob): string | undefined {
  const environment = job.job['environment'];
  if (typeof environment === 'string') return environment;
  return isObject(environment) && typeof environment['name'] === 'string'
    ? environment['name']
    : undefined;
}

function isProdJob(job: GitlabJob): boolean {
  if (PROD.test(job.name)) return true;
  const stage = job.job['stage'];
  return typeof stage === 'string' && PROD.test(stage);
}

export const rule = defineRule({
  meta: {
    id: 'GL-05',
    title: 'Production job without environment or protected-ref gate',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['gitlab-ci'],
    message: 'A production job is not bound to a production environment or to protected refs.',
    fix: 'Add `environment: production` (a protected environment) and `rules: [{ if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH }]`, and bind the cloud or Vault role to `ref_protected: "true"`.',
    docsAnchor: 'gl-05',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const job of gitlabJobs(document.value)) {
      if (job.hidden || !isProdJob(job)) continue;
      const environment = environmentName(job);
      if (environment !== undefined && PROD.test(environment)) continue;
      if (restrictedToProtectedRefs(job.job)) continue;
      findings.push({
        path: environment === undefined ? job.path : [...job.path, 'environment'],
        message:
          environment === undefined
            ? `Job ${job.name} deploys to production with no \`environment:\` and no protected-ref rule.`
            : `Job ${job.name} deploys to production under environment ${JSON.stringify(environment)} and no protected-ref rule.`,
        object: job.object,
      });
    }
    return findings;
  },
});
