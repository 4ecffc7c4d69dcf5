/**
 * K8S-15: Vault Agent renders secrets (and its own token sink) into a shared emptyDir. Without
 * `medium: Memory` that directory lives on the node's disk, where the secrets outlive the pod
 * and show up in node backups.
 */
import { isKind, isObject } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { ContainerRef } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { mountsOf, volumesOf } from './support/pod-volumes.ts';

/** The official images (`hashicorp/vault`, `vault`) run as an agent with the `agent` argument. */
function isVaultAgent(container: ContainerRef): boolean {
  const image = container.container['image'];
  if (typeof image !== 'string' || !/(?:^|\/)vault(?:[:@]|$)/.test(image)) return false;
  const words = ['command', 'args'].flatMap((field) => {
    const list = container.container[field];
    return Array.isArray(list) ? (list as readonly unknown[]) : [];
  });
  return words.includes('agent');
}

export const rule = defineRule({
  meta: {
    id: 'K8S-15',
    title: 'Vault secrets volume on disk',
    invariants: ['INV-2'],
    severity: 'low',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message: "Vault Agent writes secrets into an emptyDir on the node's disk.",
    fix: 'Set `emptyDir: { medium: Memory }` on the volume Vault Agent renders secrets into.',
    docsAnchor: 'k8s-15',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const volume of volumesOf(template)) {
      const emptyDir = volume.volume['emptyDir'];
      if (emptyDir === undefined) continue;
      if (isObject(emptyDir) && emptyDir['medium'] === 'Memory') continue;
      const mounts = mountsOf(template, volume.name);
      const vaultMount = mounts.find(
        (mount) => isVaultAgent(mount.container) || /^\/vault\/secrets(\/|$)/.test(mount.mountPath),
      );
      if (vaultMount === undefined) continue;
      findings.push({
        path: [...volume.path, 'emptyDir'],
        message: `Volume \`${volume.name}\` (Vault secrets at \`${vaultMount.mountPath}\`) is an emptyDir on the node's disk, not in memory.`,
      });
    }
    return findings;
  },
});
