/**
 * LNK-09 [ext]: an AuthorizationPolicy whose required authentications are only
 * NetworkAuthentications authorizes by source IP, with no mesh identity (INV-6); one with an
 * empty list authorizes every client.
 */
import { arrayAt, getAt, isKind, isObject } from '../document.ts';
import { defineRule } from '../rule.ts';

const PATH = ['spec', 'requiredAuthenticationRefs'];

export const rule = defineRule({
  meta: {
    id: 'LNK-09',
    title: 'AuthorizationPolicy without mesh identity',
    invariants: ['INV-6'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['AuthorizationPolicy'],
    message:
      'The AuthorizationPolicy authorizes clients by network address alone, not by mesh identity.',
    fix: 'Require a MeshTLSAuthentication (or a ServiceAccount reference) naming the client identities.',
    docsAnchor: 'lnk-09',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'linkerd') return [];
    if (getAt(document.value, PATH) === undefined) return [];
    const refs = arrayAt(document.value, PATH).filter(isObject);
    if (refs.length === 0) {
      return [
        {
          path: PATH,
          message:
            'The AuthorizationPolicy requires no authentication, so it authorizes every client, meshed or not.',
        },
      ];
    }
    if (!refs.every((ref) => ref['kind'] === 'NetworkAuthentication')) return [];
    return [{ path: PATH }];
  },
});
