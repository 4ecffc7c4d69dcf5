/**
 * RBAC-03: a ClusterRole granting every verb on every resource of every group is cluster-admin
 * under another name, and a binding to either gives its subjects the whole cluster (INV-7).
 * The RFC's Argo CD application controller is the one tolerated case, and only with a written
 * justification (INVARIANTS §7 item 3). A binding that hands it to an application
 * ServiceAccount is critical.
 */
import { isKind } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  isClusterAdminLike,
  isSystemName,
  policyRules,
  roleRefOf,
  subjectsOf,
} from './support/rbac.ts';
import { hasJustification } from './support/waiver.ts';

const ALLOWLISTED = 'argocd-application-controller';

function isAllowlisted(document: K8sDocument): boolean {
  return document.classification.name === ALLOWLISTED && hasJustification(document);
}

function isAdminRole(context: ScanContext, name: string): boolean {
  if (name === 'cluster-admin') return true;
  const role = context.k8sObject('ClusterRole', null, name);
  return role !== undefined && policyRules(role).some(isClusterAdminLike);
}

function checkRole(document: K8sDocument): RuleFinding[] {
  if (isAllowlisted(document)) return [];
  return policyRules(document)
    .filter(isClusterAdminLike)
    .map((rule) => ({
      path: rule.path,
      message: `ClusterRole \`${document.classification.name}\` grants every verb on every resource, which is cluster-admin.`,
    }));
}

function checkBinding(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const ref = roleRefOf(document);
  if (ref?.kind !== 'ClusterRole' || !isAdminRole(context, ref.name)) return [];
  const subjects = subjectsOf(document);
  const accounts = subjects.filter((subject) => subject.kind === 'ServiceAccount');
  const onlyController =
    accounts.length > 0 &&
    accounts.length === subjects.length &&
    accounts.every((subject) => subject.name === ALLOWLISTED);
  if (onlyController && hasJustification(document)) return [];
  const application = accounts.find((subject) => !context.isPlatformNamespace(subject.namespace));
  const scope =
    document.classification.k8sKind === 'ClusterRoleBinding'
      ? 'the whole cluster'
      : `namespace \`${document.classification.namespace ?? '?'}\``;
  return [
    {
      path: ['roleRef', 'name'],
      ...(application === undefined ? {} : { severity: 'critical' as const }),
      message:
        application === undefined
          ? `${document.classification.k8sKind} \`${document.classification.name}\` grants \`${ref.name}\` (full admin) over ${scope}.`
          : `${document.classification.k8sKind} \`${document.classification.name}\` grants \`${ref.name}\` (full admin) over ${scope} to application ServiceAccount \`${application.namespace ?? '?'}/${application.name}\`.`,
    },
  ];
}

export const rule = defineRule({
  meta: {
    id: 'RBAC-03',
    title: 'Cluster-admin granted',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ClusterRole', 'ClusterRoleBinding', 'RoleBinding'],
    message: 'Full cluster-admin rights are defined or granted.',
    fix: 'Grant a role listing only the groups, resources and verbs the subject uses, or add a justification annotation for the Argo CD application controller.',
    docsAnchor: 'rbac-03',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    return document.classification.k8sKind === 'ClusterRole'
      ? checkRole(document)
      : checkBinding(document, context);
  },
});
