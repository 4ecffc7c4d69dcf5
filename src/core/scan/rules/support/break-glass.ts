/**
 * Break-glass material: the emergency credentials the RFC keeps outside the GitOps flow. They
 * are recognised by name (`break-glass-…`) or, in `kube-system`, by a `kubeconfig` key.
 */
import type { K8sDocument } from '../../document.ts';
import { annotation, label } from '../../k8s.ts';
import { dataEntries } from './secret-data.ts';

const BREAK_GLASS = /break[-_.]?glass|emergency[-_.]?(?:access|admin|kubeconfig)/i;

export function isBreakGlassName(document: K8sDocument): boolean {
  return BREAK_GLASS.test(document.classification.name);
}

export function breakGlassMarker(document: K8sDocument): 'name' | 'metadata' | undefined {
  if (isBreakGlassName(document)) return 'name';
  const description = annotation(document, 'description') ?? '';
  const purpose = label(document, 'purpose') ?? '';
  return BREAK_GLASS.test(description) || BREAK_GLASS.test(purpose) ? 'metadata' : undefined;
}

/** The `kubeconfig` keys of a Secret in kube-system. */
export function kubeSystemKubeconfigKeys(document: K8sDocument): readonly string[] {
  if (document.classification.namespace !== 'kube-system') return [];
  return dataEntries(document)
    .filter((entry) => /kubeconfig|^config$/i.test(entry.key) && entry.text.trim() !== '')
    .map((entry) => entry.key);
}

export function isBreakGlassSecret(document: K8sDocument): boolean {
  return (
    document.classification.k8sKind === 'Secret' &&
    (breakGlassMarker(document) !== undefined || kubeSystemKubeconfigKeys(document).length > 0)
  );
}
