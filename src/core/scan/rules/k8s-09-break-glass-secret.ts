/**
 * K8S-09: break-glass credentials exist for when GitOps is down, so they must live outside Git
 * (encrypted, pre-staged). A copy in the repository is a standing cluster-admin credential
 * readable by everyone with clone access.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import type { RuleFinding } from '../rule.ts';
import { breakGlassMarker, kubeSystemKubeconfigKeys } from './support/break-glass.ts';
import { dataEntries } from './support/secret-data.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-09',
    title: 'Break-glass credential committed',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message: 'Break-glass credential material is committed to Git.',
    fix: 'Delete the Secret from the repository and its history, rotate the credential, and keep break-glass material encrypted outside the GitOps flow.',
    docsAnchor: 'k8s-09',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const marker = breakGlassMarker(document);
    const withContent = dataEntries(document).some((entry) => entry.text.trim() !== '');
    if (marker !== undefined && withContent) {
      return [
        {
          path: marker === 'name' ? ['metadata', 'name'] : ['metadata'],
          message: `Secret \`${document.classification.name}\` holds break-glass credentials, which must never be committed to Git.`,
        },
      ];
    }
    const findings: RuleFinding[] = [];
    for (const key of kubeSystemKubeconfigKeys(document)) {
      const entry = dataEntries(document).find((candidate) => candidate.key === key);
      if (entry === undefined) continue;
      findings.push({
        path: entry.path,
        message: `Secret \`${document.classification.name}\` in kube-system carries a kubeconfig under \`${key}\`, a cluster credential that must not be committed to Git.`,
      });
    }
    return findings;
  },
});
