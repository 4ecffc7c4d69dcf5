/**
 * SPI-09: a ClusterSPIFFEID with neither `namespaceSelector` nor `podSelector` (or both empty)
 * matches every pod in every namespace the controller watches. Advisory: intended for a
 * cluster-wide default, surprising anywhere else.
 */
import { getAt, isObject } from '../document.ts';
import { defineRule } from '../rule.ts';

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
    appliesTo: ['k8s'],
    k8sKinds: ['ClusterSPIFFEID'],
    message:
      'The ClusterSPIFFEID has no namespace or pod selector, so it issues identities to every pod.',
    fix: 'Add a `namespaceSelector` or `podSelector` naming the workloads this identity is for.',
    docsAnchor: 'spi-09',
  },
  check(document) {
    const spec = getAt(document.value, ['spec']);
    if (!isObject(spec)) return [];
    if (selects(spec['namespaceSelector']) || selects(spec['podSelector'])) return [];
    return [{ path: ['spec'] }];
  },
});
