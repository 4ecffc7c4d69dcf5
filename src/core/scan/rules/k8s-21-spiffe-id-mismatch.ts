/**
 * K8S-21: a pod's SPIFFE ID must name the pod's own namespace and ServiceAccount (the
 * attested facts) in an allowed trust domain. A literal ID naming another namespace or account
 * lets this pod receive someone else's identity.
 */
import { isKind } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { serviceAccountNameOf } from './support/pod-volumes.ts';
import { isTemplate, namespaceAndAccount, spiffeAnnotation } from './support/spiffe-annotation.ts';

/** A template segment is right when it reads the field the registrar fills from the pod. */
function segmentMatches(segment: string, actual: string | null, field: RegExp): boolean {
  if (isTemplate(segment)) return field.test(segment);
  return actual === null || segment === actual;
}

export const rule = defineRule({
  meta: {
    id: 'K8S-21',
    title: 'SPIFFE ID does not match the pod',
    invariants: ['INV-3', 'INV-7'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message:
      "The pod's SPIFFE ID names a namespace, ServiceAccount or trust domain other than the pod's own.",
    fix: 'Set `spiffe.io/spiffe-id` to `spiffe://<allowed trust domain>/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}`, or to the literal namespace and ServiceAccount of this pod.',
    docsAnchor: 'k8s-21',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const id = spiffeAnnotation(document);
    const template = podTemplate(document);
    if (id === undefined || template === undefined) return [];
    const findings: RuleFinding[] = [];
    const domains = context.config.trustDomains;
    if (
      id.trustDomain !== undefined &&
      domains.length > 0 &&
      !isTemplate(id.trustDomain) &&
      !domains.includes(id.trustDomain)
    ) {
      findings.push({
        path: id.path,
        message: `SPIFFE ID \`${id.value}\` is in trust domain \`${id.trustDomain}\`, which is not one of ${domains.map((domain) => `\`${domain}\``).join(', ')}.`,
      });
    }
    const names = namespaceAndAccount(id.idPath);
    if (names === undefined) return findings;
    const namespace = document.classification.namespace;
    const account = serviceAccountNameOf(template)?.name ?? 'default';
    const wrong: string[] = [];
    if (!segmentMatches(names.namespace, namespace, /\.(?:Namespace|PodMeta\.Namespace)\b/)) {
      wrong.push(`namespace \`${names.namespace}\` (the pod runs in \`${namespace ?? '?'}\`)`);
    }
    if (
      !segmentMatches(names.account, account, /\.(?:ServiceAccount|PodSpec\.ServiceAccountName)\b/)
    ) {
      wrong.push(`ServiceAccount \`${names.account}\` (the pod runs as \`${account}\`)`);
    }
    if (wrong.length > 0) {
      findings.push({
        path: id.path,
        message: `SPIFFE ID \`${id.value}\` names ${wrong.join(' and ')}.`,
      });
    }
    return findings;
  },
});
