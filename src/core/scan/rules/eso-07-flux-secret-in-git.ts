/**
 * ESO-07: Flux reads its Git deploy key (`GitRepository.spec.secretRef`) and remote kubeconfigs
 * (`Kustomization.spec.kubeConfig.secretRef`) from Secrets. When that Secret is committed in
 * the same repository instead of rendered by ESO, the credential that guards the cluster is
 * readable by anyone who can read the repository (RFC §7.3.3–7.3.4).
 */
import { isKind } from '../document.ts';
import type { DocPath } from '../document.ts';
import { getAt } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isEsoManaged } from './support/eso-managed.ts';

const SECRET_REFS: Readonly<Record<string, readonly DocPath[]>> = {
  GitRepository: [['spec', 'secretRef', 'name']],
  OCIRepository: [['spec', 'secretRef', 'name']],
  HelmRepository: [['spec', 'secretRef', 'name']],
  Bucket: [['spec', 'secretRef', 'name']],
  Kustomization: [
    ['spec', 'kubeConfig', 'secretRef', 'name'],
    ['spec', 'decryption', 'secretRef', 'name'],
  ],
  HelmRelease: [['spec', 'kubeConfig', 'secretRef', 'name']],
};

export const rule = defineRule({
  meta: {
    id: 'ESO-07',
    title: 'Flux credential Secret committed to Git',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: Object.keys(SECRET_REFS),
    message:
      'A Flux object reads its credential from a Secret committed to Git rather than rendered by ESO.',
    fix: 'Delete the committed Secret, rotate the credential, and create the Secret with an ExternalSecret from Vault (`secret/platform/flux/...`).',
    docsAnchor: 'eso-07',
  },
  check(document, context) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'flux') return [];
    const findings: RuleFinding[] = [];
    for (const path of SECRET_REFS[document.classification.k8sKind] ?? []) {
      const name = getAt(document.value, path);
      if (typeof name !== 'string') continue;
      const secret = context.k8sObject('Secret', document.classification.namespace, name);
      if (secret === undefined || isEsoManaged(secret)) continue;
      findings.push({
        path,
        message: `${document.classification.k8sKind} \`${document.classification.name}\` reads Secret \`${name}\`, which is committed in ${secret.file} instead of rendered by ESO.`,
      });
    }
    return findings;
  },
});
