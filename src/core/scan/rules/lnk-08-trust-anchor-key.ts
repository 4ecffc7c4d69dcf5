/**
 * LNK-08: the private key of Linkerd's trust anchor (or of its issuer) lets its holder mint
 * any mesh identity. It belongs in an HSM or with cert-manager, never in Git (RFC §11.9.2);
 * a `tls.key` committed with the Secret is critical even though the RFC's example shows one.
 */
import { isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { isLinkerdIdentitySecret } from './support/linkerd-identity.ts';
import { dataEntries } from './support/secret-data.ts';

export const rule = defineRule({
  meta: {
    id: 'LNK-08',
    title: 'Linkerd identity private key committed',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message: 'The private key of a Linkerd trust anchor or issuer is committed to Git.',
    fix: 'Rotate the trust anchor and issuer, delete `tls.key` from the repository, and let cert-manager (or an HSM-backed issuer) hold the key.',
    docsAnchor: 'lnk-08',
  },
  check(document) {
    if (!isKind(document, 'k8s') || !isLinkerdIdentitySecret(document)) return [];
    return dataEntries(document)
      .filter((entry) => entry.key === 'tls.key' && entry.text.trim() !== '')
      .map((entry) => ({
        path: entry.path,
        message: `Secret \`${document.classification.name}\` commits \`tls.key\`, the private key that signs Linkerd mesh identities.`,
      }));
  },
});
