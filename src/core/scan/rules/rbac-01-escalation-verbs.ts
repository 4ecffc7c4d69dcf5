/**
 * RBAC-01: `escalate` lets a subject write roles granting more than it holds, `bind` lets it
 * bind roles it does not hold, and `impersonate` lets it act as any user, group or
 * ServiceAccount. Each breaks INV-9 (no more power than whoever authorized it); a `*` verb on
 * the same resources grants them implicitly.
 */
import { isKind } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  coversGroup,
  coversResource,
  isClusterAdminLike,
  isSystemName,
  policyRules,
  RBAC_GROUP,
} from './support/rbac.ts';

const ESCALATING = ['escalate', 'bind', 'impersonate'] as const;
const ROLE_RESOURCES = ['roles', 'clusterroles'];
const IDENTITY_RESOURCES = ['users', 'groups', 'serviceaccounts', 'uids', 'userextras'];

export const rule = defineRule({
  meta: {
    id: 'RBAC-01',
    title: 'Role grants escalate, bind or impersonate',
    invariants: ['INV-9'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Role', 'ClusterRole'],
    message: 'The role grants a privilege-escalation verb (`escalate`, `bind` or `impersonate`).',
    fix: 'Remove the verb; grant the specific roles a controller must bind through a reviewed ClusterRole limited by `resourceNames`.',
    docsAnchor: 'rbac-01',
  },
  check(document) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    const findings: RuleFinding[] = [];
    for (const rule of policyRules(document)) {
      // An indexed loop: every Role of a scan comes through here, mostly before the JIT warms.
      for (let index = 0; index < rule.verbs.length; index += 1) {
        const verb = rule.verbs[index] as string;
        if ((ESCALATING as readonly string[]).includes(verb)) {
          findings.push({
            path: [...rule.path, 'verbs', index],
            message: `The role grants \`${verb}\`, which lets its holder ${verb === 'impersonate' ? 'act as other users and ServiceAccounts' : 'grant permissions it does not hold'}.`,
          });
          continue;
        }
        if (verb !== '*' || isClusterAdminLike(rule)) continue;
        const roles =
          coversGroup(rule, RBAC_GROUP) && ROLE_RESOURCES.some((r) => coversResource(rule, r));
        const identities =
          (coversGroup(rule, '') || coversGroup(rule, 'authentication.k8s.io')) &&
          IDENTITY_RESOURCES.some((r) => coversResource(rule, r));
        if (!roles && !identities) continue;
        findings.push({
          path: [...rule.path, 'verbs', index],
          message: `The verb \`*\` on ${roles ? 'roles' : 'users, groups or ServiceAccounts'} includes \`${roles ? 'escalate` and `bind' : 'impersonate'}\`.`,
        });
      }
    }
    return findings;
  },
});
