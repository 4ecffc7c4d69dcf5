/**
 * RBAC-05: reading Secrets in every namespace is reading every credential of the cluster. A
 * ClusterRole granting it is reported unless the scan shows it is only ever bound per
 * namespace (RoleBindings). Full wildcards are RBAC-03's finding.
 */
import { arrayAt, isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import {
  bindingsOf,
  coversGroup,
  coversResource,
  grantsVerb,
  isClusterAdminLike,
  isSystemName,
  policyRules,
} from './support/rbac.ts';

const READ_VERBS = ['get', 'list', 'watch'];

export const rule = defineRule({
  meta: {
    id: 'RBAC-05',
    title: 'ClusterRole reads Secrets cluster-wide',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ClusterRole'],
    message: 'The ClusterRole can read Secrets in every namespace.',
    fix: 'Grant Secret access with a Role (or a RoleBinding to this ClusterRole) in each namespace that needs it, limited by `resourceNames` where possible.',
    docsAnchor: 'rbac-05',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    const grants = policyRules(document).flatMap((rule) => {
      if (isClusterAdminLike(rule) || !coversGroup(rule, '') || !coversResource(rule, 'secrets')) {
        return [];
      }
      // `resourceNames` limits the rule to named Secrets, which is not reading them all.
      if (arrayAt(rule.rule, ['resourceNames']).length > 0) return [];
      const verbs = READ_VERBS.filter((verb) => grantsVerb(rule, verb));
      return verbs.length === 0 ? [] : [{ rule, verbs }];
    });
    if (grants.length === 0) return [];
    const bindings = bindingsOf(context, document);
    const clusterWide = bindings.find(
      (binding) => binding.classification.k8sKind === 'ClusterRoleBinding',
    );
    if (bindings.length > 0 && clusterWide === undefined) return [];
    const how =
      clusterWide === undefined
        ? 'no binding in this scan limits it to a namespace'
        : `ClusterRoleBinding \`${clusterWide.classification.name}\` grants it cluster-wide`;
    return grants.map(({ rule, verbs }) => ({
      path: [...rule.path, 'verbs'],
      message: `The ClusterRole may ${verbs.join('/')} Secrets, and ${how}.`,
    }));
  },
});
