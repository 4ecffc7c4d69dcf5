/**
 * SPI-14: a bundle endpoint off the catalogue's port 8443, the server's own
 * (`federation.bundle_endpoint.port`) or a peer's (`bundle_endpoint_url`; `bundleEndpointURL`
 * in a ClusterFederatedTrustDomain or the Helm chart's values). server.conf is read as a file
 * or inside a ConfigMap; the chart's own port is `federation.bundleEndpoint.port`. Advisory: peers and firewalls are set up for 8443, so another port
 * needs to be documented for them.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { getAt } from '../document.ts';
import { federationPeersOf, firstBlock, helmServerValues, serverConfigs } from './support/spire.ts';

const PORT = 8443;

function urlPort(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.port !== '') return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : parsed.protocol === 'http:' ? 80 : undefined;
  } catch {
    return undefined;
  }
}

export const rule = defineRule({
  meta: {
    id: 'SPI-14',
    title: 'Bundle endpoint not on port 8443',
    invariants: [],
    severity: 'info',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap', 'ClusterFederatedTrustDomain'],
    message: 'A federation bundle endpoint is not on the standard port 8443.',
    fix: 'Serve the bundle endpoint on port 8443, or document the port for every peer and firewall.',
    docsAnchor: 'spi-14',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const config of serverConfigs(document)) {
      const federation = firstBlock(config.server, config.path, 'federation');
      const endpoint =
        federation === undefined
          ? undefined
          : firstBlock(federation.value, federation.path, 'bundle_endpoint');
      const port = endpoint?.value['port'];
      if (endpoint !== undefined && typeof port === 'number' && port !== PORT) {
        findings.push({
          path: [...endpoint.path, 'port'],
          message: `This server serves its bundle on port ${port}, not ${PORT}.`,
        });
      }
    }
    // The chart serves the bundle only with `federation.enabled`; its port defaults to 8443.
    const helm = helmServerValues(document);
    const helmPort = getAt(helm?.value, ['federation', 'bundleEndpoint', 'port']);
    const federated = getAt(helm?.value, ['federation', 'enabled']);
    if (
      helm !== undefined &&
      (federated === true || federated === 'true') &&
      typeof helmPort === 'number' &&
      helmPort !== PORT
    ) {
      findings.push({
        path: [...helm.path, 'federation', 'bundleEndpoint', 'port'],
        message: `This server serves its bundle on port ${helmPort}, not ${PORT}.`,
      });
    }
    for (const peer of federationPeersOf(document)) {
      const url = peer.url;
      const peerPort = typeof url?.value === 'string' ? urlPort(url.value) : undefined;
      if (url === undefined || peerPort === undefined || peerPort === PORT) continue;
      findings.push({
        path: url.path,
        message: `The bundle of ${peer.trustDomain} is served on port ${peerPort}, not ${PORT}.`,
      });
    }
    return findings;
  },
});
