/**
 * LNK-03: after federation, authorization stays explicit: exact identities from the peer
 * trust domain, never wildcards (RFC §12.7.3). A wildcard over a partner's or remote
 * cluster's identities admits workloads that party adds later, without review.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isFederated, meshIdentities, trustDomainOf } from './support/mesh-identity.ts';

export const rule = defineRule({
  meta: {
    id: 'LNK-03',
    title: 'Wildcard over a federated identity',
    invariants: ['INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['ServerAuthorization', 'MeshTLSAuthentication'],
    message: 'A federated identity from another trust domain is authorized with a wildcard.',
    fix: 'List each remote identity exactly, e.g. `spiffe://<peer>/ns/<ns>/sa/<sa>`.',
    docsAnchor: 'lnk-03',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    return meshIdentities(document)
      .filter((identity) => identity.value.includes('*'))
      .filter((identity) => isFederated(identity.value, context.config))
      .map((identity) => ({
        path: identity.path,
        message: `The identity \`${identity.value}\` admits any workload the trust domain \`${trustDomainOf(identity.value) ?? '?'}\` names this way, now or later.`,
      }));
  },
});
