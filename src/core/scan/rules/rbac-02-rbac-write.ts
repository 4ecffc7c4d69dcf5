/**
 * RBAC-02: whoever can create or change Roles and RoleBindings can grant themselves anything
 * the API server lets them bind. Only platform components (in platform namespaces) may hold
 * that; a role bound to any other ServiceAccount, or bound to nobody the scan shows, is reported.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import {
  bindingsOf,
  coversGroup,
  coversResource,
  grantsVerb,
  isClusterAdminLike,
  isSystemName,
  policyRules,
  RBAC_GROUP,
  subjectsOf,
} from './support/rbac.ts';

const RBAC_RESOURCES = ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'];
const WRITE_VERBS = ['create', 'update', 'patch'];

export const rule = defineRule({
  meta: {
    id: 'RBAC-02',
    title: 'Non-platform role may write RBAC',
    invariants: ['INV-9'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Role', 'ClusterRole'],
    message:
      'The role may create or change RBAC objects and is held by a non-platform ServiceAccount.',
    fix: 'Drop create/update/patch on roles and bindings; let a platform controller or the GitOps pipeline manage RBAC.',
    docsAnchor: 'rbac-02',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    const grants = policyRules(document).flatMap((rule) => {
      if (isClusterAdminLike(rule) || !coversGroup(rule, RBAC_GROUP)) return [];
      const resources = RBAC_RESOURCES.filter((resource) => coversResource(rule, resource));
      const verbs = WRITE_VERBS.filter((verb) => grantsVerb(rule, verb));
      return resources.length === 0 || verbs.length === 0 ? [] : [{ rule, resources, verbs }];
    });
    if (grants.length === 0) return [];
    const bindings = bindingsOf(context, document);
    const holder = bindings
      .flatMap(subjectsOf)
      .find(
        (subject) =>
          subject.kind === 'ServiceAccount' && !context.isPlatformNamespace(subject.namespace),
      );
    if (bindings.length > 0 && holder === undefined) return [];
    const { k8sKind, namespace } = document.classification;
    if (bindings.length === 0 && k8sKind === 'Role' && context.isPlatformNamespace(namespace)) {
      return [];
    }
    const who =
      holder === undefined
        ? 'no binding in this scan shows it is held by a platform component'
        : `ServiceAccount \`${holder.namespace ?? '?'}/${holder.name}\` holds it`;
    return grants.map(({ rule, resources, verbs }) => ({
      path: [...rule.path, 'verbs'],
      message: `The role may ${verbs.join('/')} ${resources.join(', ')}, and ${who}.`,
    }));
  },
});
