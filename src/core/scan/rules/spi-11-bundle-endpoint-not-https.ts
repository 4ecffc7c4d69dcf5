/**
 * SPI-11: a federation peer's `bundle_endpoint_url` is not https. The bundle is the peer's
 * trust anchor: fetched in clear, anyone on the path can substitute their own keys and mint
 * identities the server then accepts.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeers, serverConfig } from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-11',
    title: 'Federation bundle endpoint without https',
    invariants: ['INV-1'],
    severity: 'critical',
    appliesTo: ['spire-config'],
    message: 'A federation bundle is fetched over a URL that is not https.',
    fix: 'Serve and fetch the peer bundle over `https://…:8443` with the `https_spiffe` (or `https_web`) profile.',
    docsAnchor: 'spi-11',
  },
  check(document) {
    const config = serverConfig(document);
    if (config === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const peer of federationPeers(config)) {
      const url = peer.body['bundle_endpoint_url'];
      if (typeof url !== 'string' || url.trim().toLowerCase().startsWith('https://')) continue;
      findings.push({
        path: [...peer.path, 'bundle_endpoint_url'],
        message: `The bundle of ${peer.trustDomain} is fetched from ${url}, which is not https.`,
      });
    }
    return findings;
  },
});
