/**
 * LNK-01: `client.unauthenticated: true` lets any client, meshed or not, reach the Server in
 * plaintext with no identity. INV-6 allows that only at the external ingress, which must carry
 * a reviewed waiver.
 */
import { getAt, isKind } from '../document.ts';
import { defineRule } from '../rule.ts';

export const rule = defineRule({
  meta: {
    id: 'LNK-01',
    title: 'ServerAuthorization admits unauthenticated clients',
    invariants: ['INV-6'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ServerAuthorization'],
    message:
      'The ServerAuthorization admits unauthenticated clients, so traffic may arrive in plaintext with no identity.',
    fix: 'Replace `unauthenticated: true` with `meshTLS.serviceAccounts` (or `identities`) naming the clients; only the external ingress may keep it, under a waiver.',
    docsAnchor: 'lnk-01',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'linkerd') return [];
    if (getAt(document.value, ['spec', 'client', 'unauthenticated']) !== true) return [];
    return [{ path: ['spec', 'client', 'unauthenticated'] }];
  },
});
