/**
 * SPI-06: `admin: true` (full Entry API access) or `downstream: true` (a signing CA for a
 * nested SPIRE server) on an identity outside the platform namespaces: a workload then holds
 * more power than whoever deployed it (INV-9).
 */
import { arrayAt, getAt, isObject } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { clusterSpiffeIdSpecs, fieldOf, k8sSelector, spireEntries } from './support/spire.ts';
import type { EntryView } from './support/spire.ts';

function entryNamespace(entry: EntryView): string | null {
  const selector = k8sSelector(entry, 'ns')[0];
  if (selector !== undefined) return selector.value.slice(3);
  return /^\/ns\/([^/]+)\//.exec(entry.spiffeId?.value.path ?? '')?.[1] ?? null;
}

/** Namespaces a ClusterSPIFFEID's `namespaceSelector` names explicitly, if it names any. */
function selectedNamespaces(spec: unknown): readonly string[] {
  const selector = getAt(spec, ['namespaceSelector']);
  const byName = getAt(selector, ['matchLabels', 'kubernetes.io/metadata.name']);
  if (typeof byName === 'string') return [byName];
  const names: string[] = [];
  for (const expression of arrayAt(selector, ['matchExpressions'])) {
    if (
      !isObject(expression) ||
      expression['key'] !== 'kubernetes.io/metadata.name' ||
      expression['operator'] !== 'In'
    )
      continue;
    names.push(
      ...arrayAt(expression, ['values']).filter(
        (value): value is string => typeof value === 'string',
      ),
    );
  }
  return names;
}

function platformOwned(namespaces: readonly (string | null)[], context: ScanContext): boolean {
  return (
    namespaces.length > 0 && namespaces.every((namespace) => context.isPlatformNamespace(namespace))
  );
}

export const rule = defineRule({
  meta: {
    id: 'SPI-06',
    title: 'Admin or downstream identity outside the platform',
    invariants: ['INV-9'],
    severity: 'high',
    appliesTo: ['spire-entries', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID', 'ClusterStaticEntry'],
    message:
      'A workload outside the platform namespaces gets SPIRE admin or downstream (CA) rights.',
    fix: 'Remove `admin`/`downstream` from the workload entry; only platform components in platform namespaces may hold them.',
    docsAnchor: 'spi-06',
  },
  check(document, context) {
    const findings: RuleFinding[] = [];
    for (const entry of spireEntries(document)) {
      if (platformOwned([entryNamespace(entry)], context)) continue;
      for (const key of ['admin', 'downstream']) {
        const field = fieldOf(entry.entry, entry.path, key);
        if (field?.value !== true) continue;
        findings.push({
          path: field.path,
          message: `Entry ${entry.object.name} sets ${key}: true outside the platform namespaces.`,
          object: entry.object,
        });
      }
    }
    for (const { name, spec, path } of clusterSpiffeIdSpecs(document)) {
      if (platformOwned(selectedNamespaces(spec), context)) continue;
      for (const key of ['admin', 'downstream']) {
        if (spec[key] !== true) continue;
        findings.push({
          path: [...path, key],
          message: `ClusterSPIFFEID ${name} sets ${key}: true for pods outside the platform namespaces.`,
        });
      }
    }
    return findings;
  },
});
