/**
 * K8S-03: a pod that names no ServiceAccount, or names `default`, shares its identity with
 * everything else in the namespace; Vault, SPIRE, Linkerd and the cloud all key on the SA.
 */
import { isKind } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import { defineRule } from '../rule.ts';
import { serviceAccountNameOf } from './support/pod-volumes.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-03',
    title: 'Pod runs as the default ServiceAccount',
    invariants: ['INV-1', 'INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message:
      "The pod runs as the namespace's `default` ServiceAccount, an identity it shares with every other pod there.",
    fix: 'Create a dedicated ServiceAccount for this workload and set `serviceAccountName` to it.',
    docsAnchor: 'k8s-03',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const account = serviceAccountNameOf(template);
    if (account === undefined) {
      return [
        {
          path: template.specPath,
          message:
            "The pod template sets no `serviceAccountName`, so it runs as the namespace's shared `default` ServiceAccount.",
        },
      ];
    }
    return account.name === 'default' ? [{ path: account.path }] : [];
  },
});
