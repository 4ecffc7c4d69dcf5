/**
 * K8S-12: `hostPID` and `hostNetwork` put a pod in the node's process and network namespaces,
 * where it can read other workloads' identities and bypass the mesh. The SPIRE agent needs
 * them to attest workloads; node-level DaemonSets of platform namespaces are the other accepted
 * case.
 */
import { isKind } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { SPIRE_NAMESPACES } from './support/spire-socket.ts';

const HOST_FIELDS = ['hostPID', 'hostNetwork', 'hostIPC'] as const;

export const rule = defineRule({
  meta: {
    id: 'K8S-12',
    title: "Pod shares the node's namespaces",
    invariants: ['INV-3', 'INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message: "The pod shares the node's process or network namespace.",
    fix: 'Remove `hostPID`/`hostNetwork`/`hostIPC`; only the SPIRE agent and platform DaemonSets may set them.',
    docsAnchor: 'k8s-12',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const namespace = document.classification.namespace;
    if (SPIRE_NAMESPACES.has(namespace ?? '')) return [];
    if (document.classification.k8sKind === 'DaemonSet' && context.isPlatformNamespace(namespace)) {
      return [];
    }
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const field of HOST_FIELDS) {
      if (template.spec[field] !== true) continue;
      findings.push({
        path: [...template.specPath, field],
        message: `The pod sets \`${field}: true\`, sharing the node's ${field === 'hostPID' ? 'process' : field === 'hostIPC' ? 'IPC' : 'network'} namespace with every other pod there.`,
      });
    }
    return findings;
  },
});
