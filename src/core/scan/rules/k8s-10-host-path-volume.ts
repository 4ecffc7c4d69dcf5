/**
 * K8S-10: a hostPath volume gives a pod the node's files, and with them other pods' tokens and
 * the kubelet's credentials; the Restricted Pod Security Standard forbids it. The SPIRE agent
 * and storage operators need the node; ordinary workloads may only mount the SPIRE socket
 * directory, as an existing directory (read-only is K8S-11's concern).
 */
import { isKind, isObject } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { volumesOf } from './support/pod-volumes.ts';
import { hostPathOf, isSpireSocketPath, SPIRE_NAMESPACES } from './support/spire-socket.ts';

/** Storage operators whose node agents need host paths (an accepted exception, RFC §8.4). */
const STORAGE_OPERATOR_NAMESPACES: ReadonlySet<string> = new Set([
  'rook-ceph',
  'longhorn-system',
  'openebs',
]);
const SOCKET_DIR_TYPES: ReadonlySet<unknown> = new Set(['Directory', 'Socket']);

export const rule = defineRule({
  meta: {
    id: 'K8S-10',
    title: 'hostPath volume in a workload',
    invariants: ['INV-3'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message:
      'The workload mounts a path from the node, which the Restricted Pod Security Standard forbids.',
    fix: 'Replace the hostPath volume with a projected, configMap, emptyDir or CSI volume; only the SPIRE socket directory may be mounted, with `type: Directory` and `readOnly: true`.',
    docsAnchor: 'k8s-10',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const namespace = document.classification.namespace ?? '';
    if (SPIRE_NAMESPACES.has(namespace) || STORAGE_OPERATOR_NAMESPACES.has(namespace)) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const volume of volumesOf(template)) {
      const hostPath = hostPathOf(volume);
      if (hostPath === undefined) continue;
      const declaration = volume.volume['hostPath'];
      const type = isObject(declaration) ? declaration['type'] : undefined;
      if (isSpireSocketPath(hostPath)) {
        if (SOCKET_DIR_TYPES.has(type)) continue;
        findings.push({
          path: [...volume.path, 'hostPath'],
          message: `Volume \`${volume.name}\` mounts the SPIRE socket directory without \`type: Directory\`, so the kubelet may create it and the pod may own it.`,
        });
        continue;
      }
      findings.push({
        path: [...volume.path, 'hostPath'],
        message: `Volume \`${volume.name}\` mounts \`${hostPath}\` from the node, which the Restricted Pod Security Standard forbids.`,
      });
    }
    return findings;
  },
});
