/**
 * K8S-01: a Secret of type `kubernetes.io/service-account-token` is a legacy token that never
 * expires; projected tokens (bound, audience-scoped, 10-minute) replace it.
 */
import { stringAt } from '../document.ts';
import { defineRule } from '../rule.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-01',
    title: 'Legacy service-account token Secret',
    invariants: ['INV-2', 'INV-4'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message:
      'Secret of type kubernetes.io/service-account-token holds a legacy, non-expiring service-account token.',
    fix: 'Delete the Secret and mount a projected serviceAccountToken volume with an audience and expirationSeconds: 600 instead.',
    docsAnchor: 'k8s-01',
  },
  check(document) {
    const { classification } = document;
    // A CRD may reuse the name `Secret`; only the core kind mints service-account tokens.
    if (classification.kind !== 'k8s' || classification.family !== 'secret') return [];
    if (stringAt(document.value, ['type']) !== 'kubernetes.io/service-account-token') return [];
    return [{ path: ['type'] }];
  },
});
