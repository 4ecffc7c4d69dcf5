/**
 * K8S-22: workload SPIFFE IDs follow `spiffe://<td>/ns/<namespace>/sa/<service-account>`
 * (RFC §5.4.3), the shape Vault, Linkerd and authorization policies match on. Any other path
 * escapes those policies. A node-level DaemonSet with a written justification may differ.
 */
import { isKind } from '../document.ts';
import { WORKLOAD_KINDS } from '../k8s.ts';
import { defineRule } from '../rule.ts';
import { namespaceAndAccount, spiffeAnnotation } from './support/spiffe-annotation.ts';
import { hasJustification } from './support/waiver.ts';

export const rule = defineRule({
  meta: {
    id: 'K8S-22',
    title: 'SPIFFE ID outside the /ns/<ns>/sa/<sa> scheme',
    invariants: ['INV-7'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message:
      "The pod's SPIFFE ID does not follow `spiffe://<td>/ns/<namespace>/sa/<service-account>`.",
    fix: 'Use `spiffe://<trust domain>/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}` so policies keyed on namespace and ServiceAccount apply.',
    docsAnchor: 'k8s-22',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    if (document.classification.k8sKind === 'DaemonSet' && hasJustification(document)) return [];
    const id = spiffeAnnotation(document);
    if (id === undefined) return [];
    if (id.trustDomain !== undefined && namespaceAndAccount(id.idPath) !== undefined) return [];
    return [
      {
        path: id.path,
        message:
          id.trustDomain === undefined
            ? `\`${id.value}\` is not a SPIFFE ID (\`spiffe://<trust domain>/<path>\`).`
            : `SPIFFE ID \`${id.value}\` has path \`${id.idPath || '/'}\`, not \`/ns/<namespace>/sa/<service-account>\`.`,
      },
    ];
  },
});
