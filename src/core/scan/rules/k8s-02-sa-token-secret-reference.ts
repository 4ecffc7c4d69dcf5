/**
 * K8S-02: a ServiceAccount whose `secrets:` list names a service-account token Secret keeps a
 * legacy, non-expiring token tied to it. The field predates projected tokens; Kubernetes no
 * longer fills it, so an entry in a manifest means someone wired a long-lived token by hand.
 */
import { arrayAt, isKind, isObject, stringAt } from '../document.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';

/** `<sa>-token-<suffix>` is how the token controller named the Secrets it generated. */
const GENERATED_TOKEN_NAME = /-token(?:-[a-z0-9]{5})?$/;

function isTokenSecret(context: ScanContext, namespace: string | null, name: string): boolean {
  const secret = context.k8sObject('Secret', namespace, name);
  if (secret !== undefined) {
    return stringAt(secret.value, ['type']) === 'kubernetes.io/service-account-token';
  }
  return GENERATED_TOKEN_NAME.test(name);
}

export const rule = defineRule({
  meta: {
    id: 'K8S-02',
    title: 'ServiceAccount references a token Secret',
    invariants: ['INV-2', 'INV-4'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['ServiceAccount'],
    message: 'The ServiceAccount lists a legacy service-account token Secret under `secrets:`.',
    fix: 'Remove the entry and its token Secret; pods get a projected, audience-bound token instead.',
    docsAnchor: 'k8s-02',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    const findings: RuleFinding[] = [];
    const namespace = document.classification.namespace;
    arrayAt(document.value, ['secrets']).forEach((entry, index) => {
      const name = isObject(entry) ? entry['name'] : undefined;
      if (typeof name !== 'string' || !isTokenSecret(context, namespace, name)) return;
      findings.push({
        path: ['secrets', index, 'name'],
        message: `The ServiceAccount lists the token Secret \`${name}\`, a legacy token that never expires.`,
      });
    });
    return findings;
  },
});
