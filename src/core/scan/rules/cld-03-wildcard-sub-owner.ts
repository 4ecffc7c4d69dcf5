/**
 * CLD-03: a trust condition's `sub` pattern wildcards the owner or repository, e.g. `*`,
 * `repo:*`, `repo:my-org/*` (GitHub) or `project_path:my-group/*` (GitLab): every repository
 * of the organisation, or of the whole platform, can assume the role.
 */
import type { Severity } from '../severity.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  isKubernetesIssuer,
  isPattern,
  positiveConditions,
  subjectBreadth,
  webIdentityTrusts,
} from './support/aws-trust.ts';

export const rule = defineRule({
  meta: {
    id: 'CLD-03',
    title: 'Wildcard owner or repository in a trust sub',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message:
      "The role's `sub` pattern accepts every repository of an organisation or of the platform.",
    fix: 'Replace the pattern with one `StringEquals` value per repository, e.g. `repo:<org>/<repo>:ref:refs/heads/main`.',
    docsAnchor: 'cld-03',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      for (const statement of trust.statements) {
        if (isKubernetesIssuer(statement.issuer)) continue;
        for (const condition of positiveConditions(statement, 'sub')) {
          for (const value of condition.values) {
            if (!isPattern(condition, value)) continue;
            const breadth = subjectBreadth(value);
            if (breadth === undefined) continue;
            const severity: Severity = breadth === 'everyone' ? 'critical' : 'high';
            findings.push({
              path: condition.path,
              severity,
              message:
                breadth === 'everyone'
                  ? `Role ${trust.name} accepts sub ${JSON.stringify(value)}: any repository on the platform can assume it.`
                  : `Role ${trust.name} accepts sub ${JSON.stringify(value)}: every repository of the organisation can assume it.`,
              ...(trust.object === undefined ? {} : { object: trust.object }),
            });
          }
        }
      }
    }
    return findings;
  },
});
