/**
 * CLD-07: a role trusting a Kubernetes cluster's issuer (EKS IRSA, GKE, AKS) whose `sub` is not
 * one exact `system:serviceaccount:<namespace>:<name>`: a pattern or a missing condition lets
 * every service account of the cluster (or of a namespace) assume it.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  isKubernetesIssuer,
  isPattern,
  positiveConditions,
  webIdentityTrusts,
} from './support/aws-trust.ts';

const EXACT_SA =
  /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

export const rule = defineRule({
  meta: {
    id: 'CLD-07',
    title: 'Kubernetes issuer trust not pinned to one service account',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['aws-iam-policy', 'terraform'],
    message: 'The role trusts a cluster issuer without pinning `sub` to one service account.',
    fix: 'Add `StringEquals` on `<issuer>:sub` = `system:serviceaccount:<namespace>:<service-account>` and `<issuer>:aud` = `sts.amazonaws.com`.',
    docsAnchor: 'cld-07',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const trust of webIdentityTrusts(document, context)) {
      for (const statement of trust.statements) {
        if (!isKubernetesIssuer(statement.issuer)) continue;
        const object = trust.object === undefined ? {} : { object: trust.object };
        const subjects = positiveConditions(statement, 'sub');
        // A missing `sub` is CLD-01's finding; this rule judges the values present.
        for (const condition of subjects) {
          const loose = condition.values.filter(
            (value) => isPattern(condition, value) || !EXACT_SA.test(value),
          );
          if (loose.length === 0) continue;
          findings.push({
            path: condition.path,
            message: `Role ${trust.name} accepts sub ${loose.map((value) => JSON.stringify(value)).join(', ')} from a cluster issuer instead of one service account.`,
            ...object,
          });
        }
      }
    }
    return findings;
  },
});
