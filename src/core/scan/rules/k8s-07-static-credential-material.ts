/**
 * K8S-07: a Secret or ConfigMap committed with static credential material (INV-2). Secret
 * `data` is decoded first, since base64 hides nothing. Secrets the External Secrets Operator
 * writes are the one allowed kind and are skipped; Argo CD credential Secrets, the Linkerd
 * trust anchor and break-glass material have rules of their own (ESO-03/04, LNK-08, K8S-09).
 */
import { isKind } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { defineRule } from '../rule.ts';
import type { RuleFinding } from '../rule.ts';
import { isArgoCdCredentialSecret } from './support/argocd-secret.ts';
import { isBreakGlassSecret } from './support/break-glass.ts';
import { credentialMaterial } from './support/credential-material.ts';
import { isEsoManaged } from './support/eso-managed.ts';
import { isLinkerdIdentitySecret } from './support/linkerd-identity.ts';
import { dataEntries } from './support/secret-data.ts';

function coveredElsewhere(document: K8sDocument): boolean {
  if (document.classification.k8sKind !== 'Secret') return false;
  return (
    isEsoManaged(document) ||
    isArgoCdCredentialSecret(document) ||
    isLinkerdIdentitySecret(document) ||
    isBreakGlassSecret(document)
  );
}

export const rule = defineRule({
  meta: {
    id: 'K8S-07',
    title: 'Static credential in a Secret or ConfigMap',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret', 'ConfigMap'],
    message: 'A static credential is committed in a Secret or ConfigMap.',
    fix: 'Revoke the credential, delete it from the manifest (and Git history), and deliver it through an ExternalSecret from Vault or a workload-identity login.',
    docsAnchor: 'k8s-07',
  },
  check(document) {
    if (!isKind(document, 'k8s') || coveredElsewhere(document)) return [];
    const findings: RuleFinding[] = [];
    const kind = document.classification.k8sKind;
    for (const entry of dataEntries(document)) {
      const what = credentialMaterial(entry.key, entry.text);
      if (what === undefined) continue;
      const decoded = entry.path[0] === 'data' && kind === 'Secret' ? ' (base64-decoded)' : '';
      findings.push({
        path: entry.path,
        message: `${kind} key \`${entry.key}\`${decoded} holds ${what}, a static credential committed to the repository.`,
      });
    }
    return findings;
  },
});
