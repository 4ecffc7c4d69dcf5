/**
 * SPI-07: an entry or ClusterSPIFFEID federates with a trust domain the server does not
 * federate with (its `federation.federates_with`, or a ClusterFederatedTrustDomain): either the
 * bundle never arrives, or someone federates out of band, outside the explicit allowlist
 * (§12.7). Checked only when the scan contains the server's federation configuration.
 */
import { arrayAt, getAt } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { federationPeers, serverConfig, spireEntries, trustDomainName } from './support/spire.ts';
import { perScan } from './support/per-scan.ts';

/** Trust domains the scanned servers federate with; undefined when no server config is scanned. */
function configuredPeers(context: ScanContext): ReadonlySet<string> | undefined {
  let seen = false;
  const peers = new Set<string>();
  for (const document of context.byKind('spire-config')) {
    const server = serverConfig(document);
    if (server === undefined) continue;
    seen = true;
    for (const peer of federationPeers(server)) peers.add(peer.trustDomain);
  }
  for (const document of context.k8sObjects('ClusterFederatedTrustDomain')) {
    const domain = getAt(document.value, ['spec', 'trustDomain']);
    if (typeof domain !== 'string') continue;
    seen = true;
    peers.add(trustDomainName(domain));
  }
  return seen ? peers : undefined;
}

export const rule = defineRule({
  meta: {
    id: 'SPI-07',
    title: 'Federation with an unconfigured trust domain',
    invariants: ['INV-1', 'INV-7'],
    severity: 'medium',
    appliesTo: ['spire-entries', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID', 'ClusterStaticEntry'],
    message:
      'The registration federates with a trust domain the SPIRE server is not configured to federate with.',
    fix: 'Add the peer under `federation { federates_with "<td>" { … } }` (or a ClusterFederatedTrustDomain) after review, or drop it from the entry.',
    docsAnchor: 'spi-07',
  },
  check(document, context) {
    const targets: {
      trustDomain: string;
      path: DocPath;
      owner: string;
      object?: RuleFinding['object'];
    }[] = [];
    for (const entry of spireEntries(document)) {
      for (const peer of entry.federatesWith) {
        targets.push({
          trustDomain: peer.value,
          path: peer.path,
          owner: `Entry ${entry.object.name}`,
          object: entry.object,
        });
      }
    }
    const classification = document.classification;
    if (classification.kind === 'k8s' && classification.k8sKind === 'ClusterSPIFFEID') {
      arrayAt(document.value, ['spec', 'federatesWith']).forEach((value, index) => {
        if (typeof value !== 'string') return;
        targets.push({
          trustDomain: trustDomainName(value),
          path: ['spec', 'federatesWith', index],
          owner: `ClusterSPIFFEID ${classification.name}`,
        });
      });
    }
    if (targets.length === 0) return [];
    const peers = perScan(context, configuredPeers);
    if (peers === undefined) return [];
    return targets
      .filter((target) => !peers.has(target.trustDomain))
      .map((target): RuleFinding => ({
        path: target.path,
        message: `${target.owner} federates with ${target.trustDomain}, which no SPIRE server here federates with.`,
        ...(target.object === undefined ? {} : { object: target.object }),
      }));
  },
});
