/**
 * SPI-13: an `https_web` federation profile (Web PKI) for a peer of the same organisation,
 * whose SPIRE server could authenticate with its own SVID (`https_spiffe`). Same organisation
 * means the trust domains share their last two labels (`prod.example.com`,
 * `staging.example.com`); for partners `https_web` is allowed and reported as info. Peers come
 * from server.conf (a file or a ConfigMap), ClusterFederatedTrustDomain objects and the Helm
 * chart's values. The organisation is the document's own server's; a ClusterFederatedTrustDomain
 * names no server, so it is compared with every server trust domain in the scan.
 */
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { perScan } from './support/per-scan.ts';
import { federationPeersOf, serverSources, serverTrustDomains } from './support/spire.ts';

function organisation(trustDomain: string): string {
  return trustDomain.split('.').slice(-2).join('.');
}

/** Trust domains of every SPIRE server configured anywhere in the scan. */
function scannedServerDomains(context: ScanContext): readonly string[] {
  return serverSources(context).flatMap((document) =>
    serverTrustDomains(document).map((domain) => domain.value),
  );
}

export const rule = defineRule({
  meta: {
    id: 'SPI-13',
    title: 'https_web federation for an internal peer',
    invariants: ['INV-1'],
    severity: 'low',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap', 'ClusterFederatedTrustDomain'],
    message:
      'An internal federation peer is authenticated through Web PKI instead of its SPIRE server SVID.',
    fix: 'Use `bundle_endpoint_profile "https_spiffe"` with `endpoint_spiffe_id = "spiffe://<peer>/spire/server"` (`type: https_spiffe` with `endpointSPIFFEID` in a ClusterFederatedTrustDomain) for peers of your own organisation.',
    docsAnchor: 'spi-13',
  },
  check(document, context) {
    const peers = federationPeersOf(document).filter((peer) => peer.profile?.name === 'https_web');
    if (peers.length === 0) return [];
    const own = serverTrustDomains(document).map((domain) => domain.value);
    const organisations = new Set(
      (own.length > 0 ? own : perScan(context, scannedServerDomains)).map(organisation),
    );
    return peers.map((peer): RuleFinding => {
      const internal = organisations.has(organisation(peer.trustDomain));
      return {
        path: peer.profile?.path ?? peer.path,
        severity: internal ? 'low' : 'info',
        message: internal
          ? `Peer ${peer.trustDomain} belongs to this organisation but is authenticated through https_web.`
          : organisations.size === 0
            ? `Peer ${peer.trustDomain} is authenticated through https_web; no SPIRE server in the scan says whether it is a partner (allowed) or of this organisation (use https_spiffe).`
            : `Partner ${peer.trustDomain} is authenticated through https_web (allowed for partners).`,
      };
    });
  },
});
