/**
 * SPI-12: an `https_spiffe` federation profile without the endpoint SPIFFE ID, or with one
 * other than the peer server's ID `spiffe://<peer-td>/spire/server`: the server would accept
 * any SVID of the peer's trust domain (or of another) as the bundle endpoint. Read from
 * server.conf (`endpoint_spiffe_id`, also inside a ConfigMap), ClusterFederatedTrustDomain
 * objects and the Helm chart's values (`bundleEndpointProfile.endpointSPIFFEID`).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeersOf } from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-12',
    title: 'https_spiffe profile without the peer server ID',
    invariants: ['INV-1'],
    severity: 'high',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap', 'ClusterFederatedTrustDomain'],
    message: 'The https_spiffe federation profile does not pin the peer server SPIFFE ID.',
    fix: 'Set `endpoint_spiffe_id = "spiffe://<peer trust domain>/spire/server"` in the `bundle_endpoint_profile "https_spiffe"` block (`endpointSPIFFEID` in a ClusterFederatedTrustDomain).',
    docsAnchor: 'spi-12',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const peer of federationPeersOf(document)) {
      if (peer.profile?.name !== 'https_spiffe') continue;
      const expected = `spiffe://${peer.trustDomain}/spire/server`;
      const pinned = peer.profile.endpointId;
      const actual = pinned?.value;
      if (actual === expected) continue;
      findings.push({
        path: typeof actual === 'string' && pinned !== undefined ? pinned.path : peer.profile.path,
        message:
          typeof actual === 'string'
            ? `The https_spiffe profile for ${peer.trustDomain} pins ${actual}, not ${expected}.`
            : `The https_spiffe profile for ${peer.trustDomain} has no endpoint SPIFFE ID; expected ${expected}.`,
      });
    }
    return findings;
  },
});
