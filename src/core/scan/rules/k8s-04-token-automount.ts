/**
 * K8S-04: unless the pod or its ServiceAccount sets `automountServiceAccountToken: false`, the
 * kubelet mounts an API token into every container whether it needs one or not. Workloads that
 * need a token mount a projected one with an audience instead.
 */
import { getAt, isKind } from '../document.ts';
import type { K8sDocument } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding, ScanContext } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { serviceAccountNameOf } from './support/pod-volumes.ts';

const FIELD = 'automountServiceAccountToken';

function checkServiceAccount(document: K8sDocument): RuleFinding[] {
  if (getAt(document.value, [FIELD]) !== true) return [];
  return [
    {
      path: [FIELD],
      severity: 'high',
      message: `The ServiceAccount sets \`${FIELD}: true\`, so every pod using it gets an API token mounted.`,
    },
  ];
}

function checkWorkload(document: K8sDocument, context: ScanContext): RuleFinding[] {
  const template = podTemplate(document);
  if (template === undefined) return [];
  const podSetting = template.spec[FIELD];
  if (podSetting === false) return [];
  if (podSetting === true) {
    return [
      {
        path: [...template.specPath, FIELD],
        severity: 'high',
        message: `The pod sets \`${FIELD}: true\`, mounting a service-account token into every container.`,
      },
    ];
  }
  const accountName = serviceAccountNameOf(template)?.name ?? 'default';
  const account = context.k8sObject(
    'ServiceAccount',
    document.classification.namespace,
    accountName,
  );
  if (account !== undefined && getAt(account.value, [FIELD]) === false) return [];
  const why =
    account === undefined
      ? `neither the pod nor a ServiceAccount \`${accountName}\` in this scan sets \`${FIELD}: false\``
      : `neither the pod nor its ServiceAccount \`${accountName}\` sets \`${FIELD}: false\``;
  return [
    { path: template.specPath, message: `The kubelet mounts an API token into this pod: ${why}.` },
  ];
}

export const rule = defineRule({
  meta: {
    id: 'K8S-04',
    title: 'Service-account token automounted',
    invariants: ['INV-4'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['ServiceAccount', ...WORKLOAD_KINDS],
    message:
      'A service-account token is mounted automatically instead of being projected on purpose.',
    fix: 'Set `automountServiceAccountToken: false` on the ServiceAccount (or the pod) and project a token with an audience where one is needed.',
    docsAnchor: 'k8s-04',
  },
  check(document, context) {
    if (!isKind(document, 'k8s')) return [];
    if (document.classification.k8sKind === 'ServiceAccount') return checkServiceAccount(document);
    return checkWorkload(document, context);
  },
});
