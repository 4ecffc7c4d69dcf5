/**
 * RBAC-09 [ext]: a binding to the built-in groups `system:serviceaccounts` (every
 * ServiceAccount, or every one of a namespace), `system:authenticated` or
 * `system:unauthenticated` grants a role to identities nobody chose, the group form of RBAC-06.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isSystemName, subjectsOf } from './support/rbac.ts';

function audience(group: string): string | undefined {
  if (group === 'system:serviceaccounts') return 'every ServiceAccount of the cluster';
  if (group.startsWith('system:serviceaccounts:')) {
    return `every ServiceAccount of namespace \`${group.slice('system:serviceaccounts:'.length)}\``;
  }
  if (group === 'system:authenticated') return 'every authenticated user and ServiceAccount';
  if (group === 'system:unauthenticated') return 'anonymous requests';
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: 'RBAC-09',
    title: 'Permissions bound to a built-in group',
    invariants: ['INV-1', 'INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['RoleBinding', 'ClusterRoleBinding'],
    message:
      'The binding grants its role to a built-in group that contains identities nobody chose.',
    fix: 'Bind the role to the specific ServiceAccounts that need it instead of a `system:` group.',
    docsAnchor: 'rbac-09',
  },
  check(document) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    return subjectsOf(document).flatMap((subject) => {
      const who = subject.kind === 'Group' ? audience(subject.name) : undefined;
      if (who === undefined) return [];
      return [
        {
          path: [...subject.path, 'name'],
          ...(subject.name === 'system:unauthenticated' ? { severity: 'critical' as const } : {}),
          message: `${document.classification.k8sKind} \`${document.classification.name}\` grants its role to group \`${subject.name}\`, that is to ${who}.`,
        },
      ];
    });
  },
});
