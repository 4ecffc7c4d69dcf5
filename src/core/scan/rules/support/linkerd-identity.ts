/**
 * Linkerd's identity Secrets: the trust anchor (`linkerd-trust-anchor`) and any TLS Secret in
 * the control-plane namespace (the issuer certificate and key).
 */
import { stringAt } from '../../document.ts';
import type { K8sDocument } from '../../document.ts';

export const LINKERD_NAMESPACE = 'linkerd';
export const TRUST_ANCHOR_NAME = 'linkerd-trust-anchor';

export function isLinkerdIdentitySecret(document: K8sDocument): boolean {
  if (document.classification.k8sKind !== 'Secret') return false;
  if (document.classification.name === TRUST_ANCHOR_NAME) return true;
  return (
    document.classification.namespace === LINKERD_NAMESPACE &&
    stringAt(document.value, ['type']) === 'kubernetes.io/tls'
  );
}
