/**
 * The SPIRE Kubernetes Workload Registrar's pod annotation `spiffe.io/spiffe-id`, split into
 * trust domain and path. Values may be Go templates (`{{ .Namespace }}`), which the registrar
 * fills per pod.
 */
import { isObject } from '../../document.ts';
import type { DocPath, K8sDocument } from '../../document.ts';
import { podTemplate } from '../../k8s.ts';

export const SPIFFE_ID_ANNOTATION = 'spiffe.io/spiffe-id';

export interface SpiffeAnnotation {
  readonly value: string;
  readonly path: DocPath;
  /** Undefined when the value is not a `spiffe://` URI. */
  readonly trustDomain: string | undefined;
  /** The path after the trust domain, starting with `/`. */
  readonly idPath: string;
}

const SPIFFE_URI = /^spiffe:\/\/([^/]+)(\/.*)?$/;

export function spiffeAnnotation(document: K8sDocument): SpiffeAnnotation | undefined {
  const template = podTemplate(document);
  if (template === undefined) return undefined;
  const annotations = template.metadata['annotations'];
  const value = isObject(annotations) ? annotations[SPIFFE_ID_ANNOTATION] : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SPIFFE_URI.exec(value.trim());
  return {
    value,
    path: [...template.path, 'metadata', 'annotations', SPIFFE_ID_ANNOTATION],
    trustDomain: match?.[1],
    idPath: match?.[2] ?? '',
  };
}

/** `/ns/<ns>/sa/<sa>` split into its two names, or undefined for any other shape. */
export function namespaceAndAccount(
  idPath: string,
): { readonly namespace: string; readonly account: string } | undefined {
  const match = /^\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(idPath);
  if (match === null) return undefined;
  return { namespace: match[1] ?? '', account: match[2] ?? '' };
}

export function isTemplate(segment: string): boolean {
  return /^\{\{.*\}\}$/.test(segment.trim());
}
