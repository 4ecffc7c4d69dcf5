/**
 * RBAC-06: permissions bound to a namespace's `default` ServiceAccount go to every pod there
 * that names no account of its own, including pods added later by anyone.
 */
import { isKind } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isSystemName, subjectsOf } from './support/rbac.ts';

export const rule = defineRule({
  meta: {
    id: 'RBAC-06',
    title: 'Permissions bound to the default ServiceAccount',
    invariants: ['INV-1', 'INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['RoleBinding', 'ClusterRoleBinding'],
    message:
      'The binding grants permissions to a `default` ServiceAccount, and so to every pod that names no account.',
    fix: 'Create a dedicated ServiceAccount for the workload that needs these permissions and bind it instead of `default`.',
    docsAnchor: 'rbac-06',
  },
  check(document) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    const findings: RuleFinding[] = [];
    // A loop rather than filter and map: every binding of a scan comes through here.
    for (const subject of subjectsOf(document)) {
      if (subject.kind !== 'ServiceAccount' || subject.name !== 'default') continue;
      findings.push({
        path: [...subject.path, 'name'],
        message: `${document.classification.k8sKind} \`${document.classification.name}\` grants its role to the \`default\` ServiceAccount${subject.namespace === null ? '' : ` of \`${subject.namespace}\``}, and so to every pod there without its own account.`,
      });
    }
    return findings;
  },
});
