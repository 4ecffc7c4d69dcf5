/**
 * RBAC-08: Kargo promotes freight without a human when `autoPromotionEnabled` is on. The RFC
 * keeps production behind a human gate (INV-9: nothing deployed has more authority than the
 * person who approved it), so a production stage must not auto-promote.
 */
import { arrayAt, isKind, isObject, stringAt } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const PRODUCTION = /(?:^|[-_.])prod(?:uction)?(?:$|[-_.])/i;

export const rule = defineRule({
  meta: {
    id: 'RBAC-08',
    title: 'Production stage promotes automatically',
    invariants: ['INV-9'],
    severity: 'low',
    appliesTo: ['k8s'],
    k8sKinds: ['Project', 'ProjectConfig'],
    message:
      'A production stage is auto-promoted, with no human approving what reaches production.',
    fix: 'Set `autoPromotionEnabled: false` for production stages and promote them by an approved, manual promotion.',
    docsAnchor: 'rbac-08',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'kargo') return [];
    const findings: RuleFinding[] = [];
    arrayAt(document.value, ['spec', 'promotionPolicies']).forEach((policy, index) => {
      if (!isObject(policy) || policy['autoPromotionEnabled'] !== true) return;
      const stage = stringAt(policy, ['stage']) ?? stringAt(policy, ['stageSelector', 'name']);
      if (stage === undefined || !PRODUCTION.test(stage)) return;
      findings.push({
        path: ['spec', 'promotionPolicies', index, 'autoPromotionEnabled'],
        message: `Stage \`${stage}\` is auto-promoted, so freight reaches production without a human approving it.`,
      });
    });
    return findings;
  },
});
