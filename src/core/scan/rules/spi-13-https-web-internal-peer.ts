/**
 * SPI-13: an `https_web` federation profile (Web PKI) for a peer of the same organisation,
 * whose SPIRE server could authenticate with its own SVID (`https_spiffe`). Same organisation
 * means the trust domains share their last two labels (`prod.example.com`,
 * `staging.example.com`); for partners `https_web` is allowed and reported as info.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeers, serverConfig } from './support/spire.ts';

function organisation(trustDomain: string): string {
  return trustDomain.split('.').slice(-2).join('.');
}

export const rule = defineRule({
  meta: {
    id: 'SPI-13',
    title: 'https_web federation for an internal peer',
    invariants: ['INV-1'],
    severity: 'low',
    appliesTo: ['spire-config'],
    message:
      'An internal federation peer is authenticated through Web PKI instead of its SPIRE server SVID.',
    fix: 'Use `bundle_endpoint_profile "https_spiffe"` with `endpoint_spiffe_id = "spiffe://<peer>/spire/server"` for peers of your own organisation.',
    docsAnchor: 'spi-13',
  },
  check(document) {
    const config = serverConfig(document);
    if (config === undefined) return [];
    const own = config.server['trust_domain'];
    const findings: RuleFinding[] = [];
    for (const peer of federationPeers(config)) {
      if (peer.profile?.name !== 'https_web') continue;
      const internal =
        typeof own === 'string' && organisation(own) === organisation(peer.trustDomain);
      findings.push({
        path: peer.profile.path,
        severity: internal ? 'low' : 'info',
        message: internal
          ? `Peer ${peer.trustDomain} belongs to this organisation but is authenticated through https_web.`
          : `Partner ${peer.trustDomain} is authenticated through https_web (allowed for partners).`,
      });
    }
    return findings;
  },
});
