/**
 * CLD-04: a production role pins the repository but not the ref or environment
 * (`repo:<org>/<repo>:*`), so any branch, tag or pull request of that repository can deploy.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  GITHUB_ISSUER_HOST,
  positiveConditions,
  subjectBreadth,
  webIdentityTrusts,
} from './support/aws-trust.ts';

/** Subjects that name one protected ref or one environment, with no wildcard. */
const PINNED =
  /^repo:[^:*?]+\/[^:*?]+:(?:ref:refs\/heads\/(?:main|master)|ref:refs\/tags\/[^*?]+|environment:[^*?]+)$/;

export const rule = defineRule({
  meta: {
    id: 'CLD-04',
    title: 'Production role not pinned to a ref or environment',
    invariants: ['INV-7', 'INV-9'],
    severity: 'medium',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message:
      'A production role accepts any ref of its repository instead of `main` or a protected environment.',
    fix: 'Pin `sub` to `repo:<org>/<repo>:environment:production` (with a protected environment) or `repo:<org>/<repo>:ref:refs/heads/main`.',
    docsAnchor: 'cld-04',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      if (!/prod/i.test(trust.name)) continue;
      for (const statement of trust.statements) {
        if (statement.issuer !== undefined && !statement.issuer.startsWith(GITHUB_ISSUER_HOST))
          continue;
        for (const condition of positiveConditions(statement, 'sub')) {
          const loose = condition.values.filter(
            // Owner/repository wildcards are CLD-03's; this rule is about the ref part.
            (value) =>
              value.startsWith('repo:') &&
              subjectBreadth(value) === undefined &&
              !PINNED.test(value),
          );
          if (loose.length === 0) continue;
          findings.push({
            path: condition.path,
            message: `Production role ${trust.name} accepts sub ${loose.map((value) => JSON.stringify(value)).join(', ')}, which is not pinned to main or an environment.`,
            ...(trust.object === undefined ? {} : { object: trust.object }),
          });
        }
      }
    }
    return findings;
  },
});
