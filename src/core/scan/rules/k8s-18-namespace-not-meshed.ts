/**
 * K8S-18: INV-6 wants every workload inside the mesh. An application Namespace that does not
 * enable Linkerd injection leaves its pods in plaintext unless each pod template opts in; the
 * finding sits on the Namespace and names the workloads of this scan it leaves out. A workload
 * whose Namespace is not part of the scan is reported on itself, at low severity, since the
 * Namespace may be enabled elsewhere.
 */
import { isKind } from '../document.ts';
import type { DocPath, K8sDocument } from '../document.ts';
import { annotation, podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  INJECT_ANNOTATION,
  LINKERD_CONTROL_PLANE_NAMESPACES,
  namespaceInjection,
  namespaceObject,
  podInjection,
  workloadsByNamespace,
} from './support/linkerd-injection.ts';

function isApplicationNamespace(context: ScanContext, namespace: string | null): boolean {
  return namespace !== null && !context.isPlatformNamespace(namespace);
}

function unmeshedWorkloads(workloads: readonly K8sDocument[]): readonly string[] {
  return workloads
    .filter((workload) => podInjection(workload)?.injection !== 'enabled')
    .map((workload) => `${workload.classification.k8sKind}/${workload.classification.name}`);
}

function checkNamespace(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const name = document.classification.name;
  if (!isApplicationNamespace(context, name) || LINKERD_CONTROL_PLANE_NAMESPACES.has(name)) {
    return [];
  }
  // `disabled` is K8S-19's finding.
  if (namespaceInjection(document) !== 'unset') return [];
  const workloads = workloadsByNamespace(context).get(name) ?? [];
  const unmeshed = unmeshedWorkloads(workloads);
  if (workloads.length > 0 && unmeshed.length === 0) return [];
  const path: DocPath =
    annotation(document, INJECT_ANNOTATION) === undefined
      ? ['metadata', 'name']
      : ['metadata', 'annotations', INJECT_ANNOTATION];
  const which =
    unmeshed.length === 0
      ? ''
      : ` (${unmeshed.slice(0, 5).join(', ')}${unmeshed.length > 5 ? ', …' : ''})`;
  return [
    {
      path,
      message: `Namespace \`${name}\` does not set \`${INJECT_ANNOTATION}: enabled\`, so its pods${which} run outside the mesh without mTLS.`,
    },
  ];
}

function checkWorkload(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const own = podInjection(document);
  if (own === undefined || own.injection !== 'unset') return [];
  const namespace = document.classification.namespace;
  if (namespace !== null && !isApplicationNamespace(context, namespace)) return [];
  // A Namespace in the scan decides: enabled covers the pod, otherwise its finding names it.
  if (namespaceObject(context, namespace) !== undefined) return [];
  const template = podTemplate(document);
  if (template === undefined) return [];
  return [
    {
      path: [...template.path, 'metadata'],
      severity: 'low',
      message: `The pod template does not set \`${INJECT_ANNOTATION}: enabled\` and its Namespace${namespace === null ? '' : ` \`${namespace}\``} is not in this scan, so nothing shows it joins the mesh.`,
    },
  ];
}

export const rule = defineRule({
  meta: {
    id: 'K8S-18',
    title: 'Workloads outside the Linkerd mesh',
    invariants: ['INV-6'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Namespace', ...WORKLOAD_KINDS],
    message: 'Pods here are not injected with the Linkerd proxy, so their traffic has no mTLS.',
    fix: 'Annotate the Namespace with `linkerd.io/inject: enabled` (or the pod template, when only some workloads join).',
    docsAnchor: 'k8s-18',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    return document.classification.k8sKind === 'Namespace'
      ? checkNamespace(document, context)
      : checkWorkload(document, context);
  },
});
