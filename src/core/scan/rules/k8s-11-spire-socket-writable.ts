/**
 * K8S-11: workloads reach the SPIRE agent through its socket directory; mounted writable, a
 * compromised pod could replace the socket and answer other pods' Workload API calls.
 */
import { isKind } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { mountsOf, volumesOf } from './support/pod-volumes.ts';
import { hostPathOf, isSpireSocketPath, SPIRE_NAMESPACES } from './support/spire-socket.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-11',
    title: 'SPIRE socket mounted writable',
    invariants: ['INV-3'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message: 'The SPIRE agent socket directory is mounted without `readOnly: true`.',
    fix: 'Add `readOnly: true` to the volumeMount of the SPIRE socket directory.',
    docsAnchor: 'k8s-11',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    // The agent itself creates the socket; it lives in the SPIRE namespace.
    if (SPIRE_NAMESPACES.has(document.classification.namespace ?? '')) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const volume of volumesOf(template)) {
      const hostPath = hostPathOf(volume);
      if (hostPath === undefined || !isSpireSocketPath(hostPath)) continue;
      for (const mount of mountsOf(template, volume.name)) {
        if (mount.mount['readOnly'] === true) continue;
        findings.push({
          path:
            'readOnly' in mount.mount ? [...mount.path, 'readOnly'] : [...mount.path, 'mountPath'],
          message: `Container \`${mount.container.name}\` mounts the SPIRE socket directory writable at \`${mount.mountPath}\`.`,
        });
      }
    }
    return findings;
  },
});
