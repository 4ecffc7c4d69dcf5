/**
 * The justification annotation some rules require before they accept an exception (a
 * ClusterRoleBinding, the Argo CD controller's wildcard ClusterRole, a node-level DaemonSet).
 * The waiver list itself (`…/waive`) is the engine's business; a rule only asks whether a
 * human wrote down why.
 */
import type { K8sDocument } from '../../document.ts';
import { annotation } from '../../k8s.ts';

export const JUSTIFICATION_ANNOTATION = 'workload-identity.platform/justification';

/** True when the object carries a non-empty justification annotation. */
export function hasJustification(document: K8sDocument): boolean {
  const text = annotation(document, JUSTIFICATION_ANNOTATION);
  return text !== undefined && text.trim() !== '';
}
