/**
 * RBAC-04: INV-7 prefers namespaced Roles; a ClusterRoleBinding to a ServiceAccount gives it
 * its permissions in every namespace, and the RFC asks for a written justification each time.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isSystemName, subjectsOf } from './support/rbac.ts';
import { hasJustification, JUSTIFICATION_ANNOTATION } from './support/waiver.ts';

export const rule = defineRule({
  meta: {
    id: 'RBAC-04',
    title: 'ClusterRoleBinding without justification',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['ClusterRoleBinding'],
    message:
      'A ClusterRoleBinding grants a ServiceAccount cluster-wide rights without a justification.',
    fix: `Bind a Role per namespace with RoleBindings, or annotate the binding with \`${JUSTIFICATION_ANNOTATION}\` explaining why it must be cluster-wide.`,
    docsAnchor: 'rbac-04',
  },
  check(document) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    if (hasJustification(document)) return [];
    return subjectsOf(document)
      .filter((subject) => subject.kind === 'ServiceAccount')
      .map((subject) => ({
        path: subject.path,
        message: `ClusterRoleBinding \`${document.classification.name}\` grants ServiceAccount \`${subject.namespace ?? '?'}/${subject.name}\` cluster-wide rights without a \`${JUSTIFICATION_ANNOTATION}\` annotation.`,
      }));
  },
});
