/**
 * RBAC-07: tenants of a multi-tenant cluster get no cluster access (RFC §8.5.2). A
 * ClusterRoleBinding to a ServiceAccount of a tenant Namespace (label `tenant`, or
 * `managed-by: tenant-operator`) reaches into every other tenant.
 */
import { isKind } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { label } from '../k8s.ts';
import type { ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { namespaceObject } from './support/linkerd-injection.ts';
import { subjectsOf } from './support/rbac.ts';

function tenantOf(context: ScanContext, namespace: string | null): string | undefined {
  const object: K8sDocument | undefined = namespaceObject(context, namespace);
  if (object === undefined) return undefined;
  const tenant = label(object, 'tenant');
  if (tenant !== undefined) return tenant;
  return label(object, 'managed-by') === 'tenant-operator' ? (namespace ?? undefined) : undefined;
}

export const rule = defineRule({
  meta: {
    id: 'RBAC-07',
    title: 'Tenant ServiceAccount bound cluster-wide',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ClusterRoleBinding'],
    message:
      'A ClusterRoleBinding gives a tenant ServiceAccount rights in the namespaces of every other tenant.',
    fix: 'Replace the ClusterRoleBinding with RoleBindings in the namespaces of that tenant only.',
    docsAnchor: 'rbac-07',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    return subjectsOf(document).flatMap((subject) => {
      if (subject.kind !== 'ServiceAccount') return [];
      const tenant = tenantOf(context, subject.namespace);
      if (tenant === undefined) return [];
      return [
        {
          path: subject.path,
          message: `ClusterRoleBinding \`${document.classification.name}\` gives ServiceAccount \`${subject.namespace ?? '?'}/${subject.name}\` of tenant \`${tenant}\` rights in every namespace.`,
        },
      ];
    });
  },
});
