/**
 * ESO-08 [ext]: the cloud providers of a SecretStore have workload-identity logins (AWS IRSA
 * or `auth.jwt`, GCP `auth.workloadIdentity`, Azure `authType: WorkloadIdentity`). A store
 * that authenticates with an access key, a service-account key file or a client secret instead
 * keeps a static cloud credential in a Kubernetes Secret (INV-2, INV-5).
 */
import { getAt, isKind, isObject } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

interface StaticAuth {
  readonly path: DocPath;
  readonly what: string;
}

function staticAuth(value: unknown): StaticAuth | undefined {
  const provider = ['spec', 'provider'];
  if (isObject(getAt(value, [...provider, 'aws', 'auth', 'secretRef']))) {
    return { path: [...provider, 'aws', 'auth', 'secretRef'], what: 'AWS access keys' };
  }
  if (isObject(getAt(value, [...provider, 'gcpsm', 'auth', 'secretRef']))) {
    return { path: [...provider, 'gcpsm', 'auth', 'secretRef'], what: 'a GCP service-account key' };
  }
  const azure = getAt(value, [...provider, 'azurekv']);
  if (isObject(azure)) {
    const type = azure['authType'];
    if ((type === undefined || type === 'ServicePrincipal') && isObject(azure['authSecretRef'])) {
      return { path: [...provider, 'azurekv', 'authSecretRef'], what: 'an Azure client secret' };
    }
  }
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: 'ESO-08',
    title: 'Secret store uses a static cloud key',
    invariants: ['INV-2', 'INV-5'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['SecretStore', 'ClusterSecretStore'],
    message:
      'The secret store authenticates to its cloud provider with a static key kept in a Secret.',
    fix: 'Authenticate the store with workload identity (AWS `auth.jwt` or IRSA, GCP `auth.workloadIdentity`, Azure `authType: WorkloadIdentity`) and revoke the key.',
    docsAnchor: 'eso-08',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'external-secrets')
      return [];
    const found = staticAuth(document.value);
    if (found === undefined) return [];
    const findings: RuleFinding[] = [
      {
        path: found.path,
        message: `The secret store authenticates with ${found.what} kept in a Kubernetes Secret.`,
      },
    ];
    return findings;
  },
});
