/**
 * LNK-02: a mesh identity of `*`, or a wildcard in the namespace part
 * (`*.serviceaccount.identity.linkerd.cluster.local`), authorizes every workload of every
 * namespace: namespace isolation (RFC §5.4) is gone. `*.<ns>.serviceaccount…` stays in one
 * namespace and is allowed. Wildcards in federated identities are LNK-03's.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isFederated, meshIdentities, wildcardStaysInNamespace } from './support/mesh-identity.ts';

export const rule = defineRule({
  meta: {
    id: 'LNK-02',
    title: 'Mesh identity wildcard spans namespaces',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ServerAuthorization', 'MeshTLSAuthentication'],
    message: 'A wildcard mesh identity authorizes workloads of every namespace.',
    fix: 'List the client identities exactly, or at most `*.<namespace>.serviceaccount.identity.linkerd.<trust domain>` for one namespace.',
    docsAnchor: 'lnk-02',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    return meshIdentities(document)
      .filter((identity) => identity.value.includes('*'))
      .filter((identity) => !isFederated(identity.value, context.config))
      .filter((identity) => !wildcardStaysInNamespace(identity.value))
      .map((identity) => ({
        path: identity.path,
        message:
          identity.value.trim() === '*'
            ? 'The identity `*` authorizes every meshed workload of every namespace.'
            : `The identity \`${identity.value}\` matches workloads of every namespace.`,
      }));
  },
});
