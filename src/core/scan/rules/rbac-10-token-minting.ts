/**
 * RBAC-10 [ext]: some grants hand over other workloads' identities without naming them.
 * `create` on `serviceaccounts/token` mints a token for any ServiceAccount in scope;
 * `create` on `pods/exec` or `pods/attach`, and `get` on `nodes/proxy`, reach into running pods
 * and read their mounted tokens. Each gives its holder more power than it was granted (INV-9).
 */
import { arrayAt, isKind } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  coversGroup,
  grantsVerb,
  isClusterAdminLike,
  isSystemName,
  policyRules,
} from './support/rbac.ts';

const IDENTITY_GRANTS: readonly (readonly [string, string, string])[] = [
  ['serviceaccounts/token', 'create', 'mint tokens for any ServiceAccount in its scope'],
  ['pods/exec', 'create', 'run commands in other pods and read their tokens'],
  ['pods/attach', 'create', 'attach to other pods and read their tokens'],
  ['nodes/proxy', 'get', 'reach the kubelet API of every node, and every pod on it'],
];

export const rule = defineRule({
  meta: {
    id: 'RBAC-10',
    title: 'Role can take over the identities of other workloads',
    invariants: ['INV-9'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Role', 'ClusterRole'],
    message: 'The role can mint or read the tokens of workloads it was never granted.',
    fix: 'Remove the grant, or limit `serviceaccounts/token` to the one account needed with `resourceNames`.',
    docsAnchor: 'rbac-10',
  },
  check(document) {
    if (!isKind(document, 'k8s') || isSystemName(document.classification.name)) return [];
    const findings: RuleFinding[] = [];
    for (const rule of policyRules(document)) {
      // Full wildcards are RBAC-03's finding; named resources are a deliberate, narrow grant.
      if (isClusterAdminLike(rule) || !coversGroup(rule, '')) continue;
      if (arrayAt(rule.rule, ['resourceNames']).length > 0) continue;
      const granted = IDENTITY_GRANTS.filter(
        ([resource, verb]) =>
          (rule.resources.includes(resource) || rule.resources.includes('*')) &&
          grantsVerb(rule, verb),
      );
      if (granted.length === 0) continue;
      findings.push({
        path: [...rule.path, 'resources'],
        message: `${granted.map(([resource, verb]) => `\`${verb}\` on \`${resource}\``).join(', ')} lets the holder ${granted.map(([, , power]) => power).join('; ')}.`,
      });
    }
    return findings;
  },
});
