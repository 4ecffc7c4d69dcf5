/**
 * SPI-11: a federation peer's bundle endpoint URL is not https. The bundle is the peer's trust
 * anchor: fetched in clear, anyone on the path can substitute their own keys and mint
 * identities the server then accepts. Read from server.conf (`bundle_endpoint_url`, also inside
 * a ConfigMap), ClusterFederatedTrustDomain objects and the Helm chart's values
 * (`bundleEndpointURL`).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeersOf } from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-11',
    title: 'Federation bundle endpoint without https',
    invariants: ['INV-1'],
    severity: 'critical',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap', 'ClusterFederatedTrustDomain'],
    message: 'A federation bundle is fetched over a URL that is not https.',
    fix: 'Serve and fetch the peer bundle over `https://…:8443` with the `https_spiffe` (or `https_web`) profile.',
    docsAnchor: 'spi-11',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const peer of federationPeersOf(document)) {
      const url = peer.url?.value;
      if (peer.url === undefined || typeof url !== 'string') continue;
      if (url.trim().toLowerCase().startsWith('https://')) continue;
      findings.push({
        path: peer.url.path,
        message: `The bundle of ${peer.trustDomain} is fetched from ${url}, which is not https.`,
      });
    }
    return findings;
  },
});
