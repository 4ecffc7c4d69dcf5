/**
 * SPI-07: an entry or ClusterSPIFFEID federates with a trust domain the server does not
 * federate with (its `federation.federates_with`, or a ClusterFederatedTrustDomain): either the
 * bundle never arrives, or someone federates out of band, outside the explicit allowlist
 * (§12.7). The server's federation is read from server.conf (a file or a ConfigMap),
 * ClusterFederatedTrustDomain objects and the Helm chart's values; registrations from entries,
 * ClusterSPIFFEID objects and the chart's `clusterSPIFFEIDs`. Checked only when the scan
 * contains some statement of the server's federation.
 */
import { arrayAt } from '../document.ts';
import type { DocPath, ScanDocument } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  clusterSpiffeIdSpecs,
  federationPeersOf,
  serverSources,
  spireEntries,
  statesFederation,
  trustDomainName,
} from './support/spire.ts';
import { perScan } from './support/per-scan.ts';

/** Trust domains the scanned servers federate with; undefined when no scanned file says. */
function configuredPeers(context: ScanContext): ReadonlySet<string> | undefined {
  let seen = false;
  const peers = new Set<string>();
  const documents: readonly ScanDocument[] = [
    ...serverSources(context),
    ...context.k8sObjects('ClusterFederatedTrustDomain'),
  ];
  for (const document of documents) {
    if (!statesFederation(document)) continue;
    seen = true;
    for (const peer of federationPeersOf(document)) peers.add(peer.trustDomain);
  }
  return seen ? peers : undefined;
}

export const rule = defineRule({
  meta: {
    id: 'SPI-07',
    title: 'Federation with an unconfigured trust domain',
    invariants: ['INV-1', 'INV-7'],
    severity: 'medium',
    appliesTo: ['spire-entries', 'spire-helm-values', 'k8s'],
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
    for (const { name, spec, path } of clusterSpiffeIdSpecs(document)) {
      arrayAt(spec, ['federatesWith']).forEach((value, index) => {
        if (typeof value !== 'string') return;
        targets.push({
          trustDomain: trustDomainName(value),
          path: [...path, 'federatesWith', index],
          owner: `ClusterSPIFFEID ${name}`,
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
