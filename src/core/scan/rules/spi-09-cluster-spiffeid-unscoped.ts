/**
 * SPI-09: a ClusterSPIFFEID with neither `namespaceSelector` nor `podSelector` (or both empty)
 * matches every pod in every namespace the controller watches. Advisory: intended for a
 * cluster-wide default, surprising anywhere else. Read from ClusterSPIFFEID objects and the
 * Helm chart's `clusterSPIFFEIDs` values (not its built-in types, whose selectors it writes).
 */
import { isObject } from '../document.ts';
import { defineRule } from '../rule.ts';
import { clusterSpiffeIdSpecs, isChartBuiltIn } from './support/spire.ts';

function selects(selector: unknown): boolean {
  if (!isObject(selector)) return false;
  const labels = selector['matchLabels'];
  const expressions = selector['matchExpressions'];
  return (
    (isObject(labels) && Object.keys(labels).length > 0) ||
    (Array.isArray(expressions) && expressions.length > 0)
  );
}

export const rule = defineRule({
  meta: {
    id: 'SPI-09',
    title: 'ClusterSPIFFEID matches every pod',
    invariants: ['INV-7'],
    severity: 'info',
    appliesTo: ['spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID'],
    message:
      'The ClusterSPIFFEID has no namespace or pod selector, so it issues identities to every pod.',
    fix: 'Add a `namespaceSelector` or `podSelector` naming the workloads this identity is for.',
    docsAnchor: 'spi-09',
  },
  check(document) {
    return clusterSpiffeIdSpecs(document)
      .filter(
        ({ spec }) =>
          !isChartBuiltIn(spec) &&
          !selects(spec['namespaceSelector']) &&
          !selects(spec['podSelector']),
      )
      .map(({ name, path }) => ({
        path,
        message: `ClusterSPIFFEID ${name} has no namespace or pod selector, so it issues identities to every pod.`,
      }));
  },
});
