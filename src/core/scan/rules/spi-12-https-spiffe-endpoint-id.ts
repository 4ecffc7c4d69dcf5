/**
 * SPI-12: an `https_spiffe` federation profile without `endpoint_spiffe_id`, or with one other
 * than the peer server's ID `spiffe://<peer-td>/spire/server`: the server would accept any SVID
 * of the peer's trust domain (or of another) as the bundle endpoint.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeers, serverConfig } from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-12',
    title: 'https_spiffe profile without the peer server ID',
    invariants: ['INV-1'],
    severity: 'high',
    appliesTo: ['spire-config'],
    message: 'The https_spiffe federation profile does not pin the peer server SPIFFE ID.',
    fix: 'Set `endpoint_spiffe_id = "spiffe://<peer trust domain>/spire/server"` in the `bundle_endpoint_profile "https_spiffe"` block.',
    docsAnchor: 'spi-12',
  },
  check(document) {
    const config = serverConfig(document);
    if (config === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const peer of federationPeers(config)) {
      if (peer.profile?.name !== 'https_spiffe') continue;
      const expected = `spiffe://${peer.trustDomain}/spire/server`;
      const actual = peer.profile.body['endpoint_spiffe_id'];
      if (actual === expected) continue;
      findings.push({
        path:
          typeof actual === 'string'
            ? [...peer.profile.path, 'endpoint_spiffe_id']
            : peer.profile.path,
        message:
          typeof actual === 'string'
            ? `The https_spiffe profile for ${peer.trustDomain} pins ${actual}, not ${expected}.`
            : `The https_spiffe profile for ${peer.trustDomain} has no endpoint_spiffe_id; expected ${expected}.`,
      });
    }
    return findings;
  },
});
