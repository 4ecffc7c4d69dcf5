/**
 * K8S-13: a Vault Agent that logs in with anything but the Kubernetes method (AppRole, a
 * token file, a static certificate) needs a pre-shared secret on disk, which INV-4 forbids
 * for workloads in a cluster: the pod's projected service-account token is the credential.
 */
import { isKind } from '../document.ts';
import type { ScanDocument } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { dataEntries } from './support/secret-data.ts';
import { agentMethods, agentMethodsInText, isAgentConfigText } from './support/vault-agent.ts';

function message(type: string): string {
  return `Vault Agent logs in with auto_auth method \`${type}\`, which needs a pre-shared secret, instead of \`kubernetes\`.`;
}

function checkConfigMap(document: ScanDocument): RuleFinding[] {
  if (!isKind(document, 'k8s')) return [];
  const findings: RuleFinding[] = [];
  for (const entry of dataEntries(document)) {
    if (!isAgentConfigText(entry.text)) continue;
    const other = agentMethodsInText(entry.text).find((method) => method.type !== 'kubernetes');
    if (other !== undefined) findings.push({ path: entry.path, message: message(other.type) });
  }
  return findings;
}

export const rule = defineRule({
  meta: {
    id: 'K8S-13',
    title: 'Vault Agent logs in without Kubernetes auth',
    invariants: ['INV-4', 'INV-2'],
    severity: 'high',
    appliesTo: ['k8s', 'vault-agent-config'],
    k8sKinds: ['ConfigMap'],
    message:
      'Vault Agent logs in with a method that needs a pre-shared secret instead of `kubernetes`.',
    fix: "Switch auto_auth to the `kubernetes` method on `auth/kubernetes-<cluster>`, which logs in with the pod's projected service-account token.",
    docsAnchor: 'k8s-13',
  },
  check(document) {
    if (isKind(document, 'k8s')) return checkConfigMap(document);
    return agentMethods(document.value)
      .filter((method) => method.type !== 'kubernetes')
      .map((method) => ({ path: method.typePath, message: message(method.type) }));
  },
});
