/**
 * Linkerd proxy injection as the proxy injector decides it: the pod template's
 * `linkerd.io/inject` annotation wins, otherwise the Namespace's. `enabled` and `ingress` both
 * inject the proxy; `disabled` opts out.
 */
import { isObject } from '../../document.ts';
import type { DocPath, K8sDocument } from '../../document.ts';
import { annotation, podTemplate, WORKLOAD_KINDS } from '../../k8s.ts';
import type { ScanContext } from '../../rule.ts';
import { groupBy } from './group-by.ts';
import { perScan } from './per-scan.ts';

export const INJECT_ANNOTATION = 'linkerd.io/inject';

/** Namespaces of Linkerd itself, whose control plane is never injected. */
export const LINKERD_CONTROL_PLANE_NAMESPACES: ReadonlySet<string> = new Set([
  'linkerd',
  'linkerd-cni',
]);

export type Injection = 'enabled' | 'disabled' | 'unset';

export function injectionValue(value: unknown): Injection {
  if (value === 'enabled' || value === 'ingress') return 'enabled';
  if (value === 'disabled') return 'disabled';
  return 'unset';
}

/** The pod template's own setting and the path of its annotation. */
export function podInjection(
  document: K8sDocument,
): { readonly injection: Injection; readonly path: DocPath } | undefined {
  const template = podTemplate(document);
  if (template === undefined) return undefined;
  const annotations = template.metadata['annotations'];
  const value = isObject(annotations) ? annotations[INJECT_ANNOTATION] : undefined;
  return {
    injection: injectionValue(value),
    path: [...template.path, 'metadata', 'annotations', INJECT_ANNOTATION],
  };
}

function namespacesByName(context: ScanContext): Map<string, K8sDocument> {
  return new Map(
    context.k8sObjects('Namespace').map((object) => [object.classification.name, object]),
  );
}

/** The Namespace object of the scan, when it declares one. */
export function namespaceObject(
  context: ScanContext,
  namespace: string | null,
): K8sDocument | undefined {
  if (namespace === null) return undefined;
  // Cluster-scoped, so indexed without a namespace; by name in case a manifest sets one anyway.
  return (
    context.k8sObject('Namespace', null, namespace) ??
    perScan(context, namespacesByName).get(namespace)
  );
}

function groupWorkloadsByNamespace(context: ScanContext): Map<string, K8sDocument[]> {
  return groupBy(
    WORKLOAD_KINDS.flatMap((kind) => context.k8sObjects(kind)),
    (workload) => workload.classification.namespace ?? undefined,
  );
}

/** Workloads of the scan grouped by namespace. */
export function workloadsByNamespace(
  context: ScanContext,
): ReadonlyMap<string, readonly K8sDocument[]> {
  return perScan(context, groupWorkloadsByNamespace);
}

export function namespaceInjection(document: K8sDocument): Injection {
  return injectionValue(annotation(document, INJECT_ANNOTATION));
}
