/**
 * K8S-23 [ext]: INV-2 allows one kind of Kubernetes Secret: those ESO renders from Vault. A
 * Secret committed with data that ESO does not manage is a static credential by construction,
 * even when its content matches no known credential format (K8S-07 reports those, critical).
 * Token Secrets, Argo CD credentials, Linkerd identity and break-glass Secrets have their own
 * rules and are left to them.
 */
import { isKind, stringAt } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isArgoCdCredentialSecret } from './support/argocd-secret.ts';
import { isBreakGlassSecret } from './support/break-glass.ts';
import { credentialMaterial } from './support/credential-material.ts';
import { isEsoManaged } from './support/eso-managed.ts';
import { isLinkerdIdentitySecret } from './support/linkerd-identity.ts';
import { dataEntries, isPlaceholder } from './support/secret-data.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-23',
    title: 'Secret committed outside ESO',
    invariants: ['INV-2'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message:
      'A Secret is committed with data instead of being rendered by the External Secrets Operator.',
    fix: 'Store the values in Vault and replace the Secret with an ExternalSecret that renders it.',
    docsAnchor: 'k8s-23',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    if (stringAt(document.value, ['type']) === 'kubernetes.io/service-account-token') return [];
    if (
      isEsoManaged(document) ||
      isArgoCdCredentialSecret(document) ||
      isLinkerdIdentitySecret(document) ||
      isBreakGlassSecret(document)
    ) {
      return [];
    }
    const entries = dataEntries(document).filter((entry) => !isPlaceholder(entry.text));
    if (entries.length === 0) return [];
    // Recognised credentials are K8S-07's (critical) finding.
    if (entries.some((entry) => credentialMaterial(entry.key, entry.text) !== undefined)) return [];
    const first = entries[0];
    if (first === undefined) return [];
    return [
      {
        path: [first.path[0] ?? 'data'],
        message: `Secret \`${document.classification.name}\` is committed with ${entries.length === 1 ? `key \`${first.key}\`` : `${entries.length} keys`} and is not managed by ESO, so its values are static and live in Git.`,
      },
    ];
  },
});
