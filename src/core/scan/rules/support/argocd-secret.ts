/**
 * Argo CD reads repository and cluster credentials from Secrets it finds by the label
 * `argocd.argoproj.io/secret-type`; the label's value says which kind of credential it is.
 */
import type { K8sDocument } from '../../document.ts';
import { label } from '../../k8s.ts';

export const ARGOCD_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';
/** Secret types that hold Git credentials (`repo-write-creds` is the write-back variant). */
export const ARGOCD_REPO_TYPES: ReadonlySet<string> = new Set([
  'repository',
  'repo-creds',
  'repo-write-creds',
  'repository-write',
]);

export function argoCdSecretType(document: K8sDocument): string | undefined {
  return label(document, ARGOCD_SECRET_TYPE_LABEL);
}

/** Repository and cluster credential Secrets, which ESO-03 and ESO-04 examine. */
export function isArgoCdCredentialSecret(document: K8sDocument): boolean {
  const type = argoCdSecretType(document);
  return type !== undefined && (type === 'cluster' || ARGOCD_REPO_TYPES.has(type));
}
