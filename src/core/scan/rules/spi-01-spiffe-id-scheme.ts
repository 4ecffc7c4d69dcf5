/**
 * SPI-01: a registration entry's SPIFFE ID does not follow the naming scheme: Kubernetes
 * workloads are `spiffe://<td>/ns/<namespace>/sa/<service-account>`, CI identities
 * `spiffe://<td>/ci/(github|gitlab|tekton)/<repo>/<ref>` (the RFC's form; an `<org>/<repo>`
 * repository is accepted, INVARIANTS.md §7.11). Policies keyed on those paths miss any other.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isNodeEntry, spireEntries } from './support/spire.ts';

const SEGMENT = '[A-Za-z0-9._-]+';
const K8S_PATH = new RegExp(`^/ns/${SEGMENT}/sa/${SEGMENT}$`);
const CI_PATH = new RegExp(
  `^/ci/(?:github|gitlab|tekton)/${SEGMENT}(?:/${SEGMENT})?/${SEGMENT}(?:/${SEGMENT})*$`,
);

export const rule = defineRule({
  meta: {
    id: 'SPI-01',
    title: 'SPIFFE ID outside the naming scheme',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['spire-entries', 'k8s'],
    k8sKinds: ['ClusterStaticEntry'],
    message:
      'The SPIFFE ID of the entry does not follow `/ns/<namespace>/sa/<service-account>` or `/ci/<platform>/<repo>/<ref>`.',
    fix: 'Register Kubernetes workloads as `spiffe://<td>/ns/<namespace>/sa/<service-account>` and CI identities as `spiffe://<td>/ci/<github|gitlab|tekton>/<repo>/<ref>`.',
    docsAnchor: 'spi-01',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const entry of spireEntries(document)) {
      const id = entry.spiffeId;
      if (id === undefined || isNodeEntry(entry)) continue;
      const path = id.value.path;
      const kubernetes = entry.selectors.some((selector) => selector.type === 'k8s');
      if (path.startsWith('/ci/')) {
        if (CI_PATH.test(path)) continue;
      } else if (!kubernetes || K8S_PATH.test(path)) {
        continue;
      }
      findings.push({
        path: id.path,
        message: path.startsWith('/ci/')
          ? `CI SPIFFE ID ${id.value.text} does not follow /ci/<github|gitlab|tekton>/<repo>/<ref>.`
          : `Kubernetes workload SPIFFE ID ${id.value.text} does not follow /ns/<namespace>/sa/<service-account>.`,
        object: entry.object,
      });
    }
    return findings;
  },
});
