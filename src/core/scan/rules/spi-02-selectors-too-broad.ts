/**
 * SPI-02: a Kubernetes workload entry whose selectors do not pin both the namespace and the
 * service account (`k8s:ns:<ns>` and `k8s:sa:<sa>`), or pin ones that disagree with its
 * `/ns/<ns>/sa/<sa>` path: any pod matching the looser selectors receives the identity.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isNodeEntry, k8sSelector, spireEntries } from './support/spire.ts';

const PATH = /^\/ns\/([^/]+)\/sa\/([^/]+)$/;

export const rule = defineRule({
  meta: {
    id: 'SPI-02',
    title: 'Entry selectors do not pin namespace and service account',
    invariants: ['INV-3', 'INV-7'],
    severity: 'high',
    appliesTo: ['spire-entries', 'k8s'],
    k8sKinds: ['ClusterStaticEntry'],
    message:
      'The entry does not select pods by both namespace and service account, or selects others than its SPIFFE ID names.',
    fix: 'Select with `k8s:ns:<namespace>` and `k8s:sa:<service-account>` equal to the `/ns/<namespace>/sa/<service-account>` of the SPIFFE ID.',
    docsAnchor: 'spi-02',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const entry of spireEntries(document)) {
      if (isNodeEntry(entry) || !entry.selectors.some((selector) => selector.type === 'k8s'))
        continue;
      const namespaces = k8sSelector(entry, 'ns');
      const accounts = k8sSelector(entry, 'sa');
      const where = entry.selectorsPath ?? entry.path;
      if (namespaces.length === 0 || accounts.length === 0) {
        const missing = [
          namespaces.length === 0 ? 'k8s:ns' : '',
          accounts.length === 0 ? 'k8s:sa' : '',
        ]
          .filter((name) => name !== '')
          .join(' and ');
        findings.push({
          path: where,
          message: `Entry ${entry.object.name} has no ${missing} selector, so pods of any ${accounts.length === 0 ? 'service account' : 'namespace'} match.`,
          object: entry.object,
        });
        continue;
      }
      const match = PATH.exec(entry.spiffeId?.value.path ?? '');
      if (match === null) continue;
      for (const [selectors, expected, label] of [
        [namespaces, match[1], 'namespace'],
        [accounts, match[2], 'service account'],
      ] as const) {
        const wrong = selectors.find((selector) => selector.value.slice(3) !== expected);
        if (wrong === undefined) continue;
        findings.push({
          path: wrong.path,
          message: `Entry ${entry.object.name} selects ${label} ${wrong.value.slice(3)}, but its SPIFFE ID names ${expected ?? ''}.`,
          object: entry.object,
        });
      }
    }
    return findings;
  },
});
