/**
 * SPI-14: a bundle endpoint off the catalogue's port 8443, the server's own
 * (`federation.bundle_endpoint.port`) or a peer's (`bundle_endpoint_url`). Advisory: peers and
 * firewalls are set up for 8443, so another port needs to be documented for them.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeers, firstBlock, serverConfig } from './support/spire.ts';

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
    appliesTo: ['spire-config'],
    message: 'A federation bundle endpoint is not on the standard port 8443.',
    fix: 'Serve the bundle endpoint on port 8443, or document the port for every peer and firewall.',
    docsAnchor: 'spi-14',
  },
  check(document) {
    const config = serverConfig(document);
    if (config === undefined) return [];
    const findings: RuleFinding[] = [];
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
    for (const peer of federationPeers(config)) {
      const url = peer.body['bundle_endpoint_url'];
      const peerPort = typeof url === 'string' ? urlPort(url) : undefined;
      if (peerPort === undefined || peerPort === PORT) continue;
      findings.push({
        path: [...peer.path, 'bundle_endpoint_url'],
        message: `The bundle of ${peer.trustDomain} is served on port ${peerPort}, not ${PORT}.`,
      });
    }
    return findings;
  },
});
