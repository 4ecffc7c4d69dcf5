/**
 * ESO-02: a SecretStore that logs in to Vault with a static token, an AppRole secret ID or a
 * password keeps a long-lived credential in a Kubernetes Secret, the very thing ESO exists to
 * remove. In a cluster the store logs in with its ServiceAccount (Kubernetes auth, INV-4).
 */
import { getAt, isKind, isObject } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';

const STATIC_METHODS: Readonly<Record<string, string>> = {
  tokenSecretRef: 'a static Vault token',
  appRole: 'an AppRole secret ID',
  userPass: 'a username and password',
  ldap: 'an LDAP password',
  cert: 'a client certificate key',
};

export const rule = defineRule({
  meta: {
    id: 'ESO-02',
    title: 'Secret store logs in to Vault with a static secret',
    invariants: ['INV-4', 'INV-2'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: ['SecretStore', 'ClusterSecretStore'],
    message:
      'The secret store authenticates to Vault with a static secret instead of Kubernetes auth.',
    fix: 'Use `auth.kubernetes` with `mountPath: kubernetes-<cluster>`, a role and a `serviceAccountRef`, then revoke the static secret.',
    docsAnchor: 'eso-02',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'external-secrets')
      return [];
    const auth = getAt(document.value, ['spec', 'provider', 'vault', 'auth']);
    if (!isObject(auth)) return [];
    const findings: RuleFinding[] = [];
    for (const [method, what] of Object.entries(STATIC_METHODS)) {
      if (auth[method] === undefined) continue;
      findings.push({
        path: ['spec', 'provider', 'vault', 'auth', method],
        message: `The secret store logs in to Vault with ${what} (\`auth.${method}\`) kept in a Kubernetes Secret.`,
      });
    }
    // `jwt.secretRef` is a JWT kept in a Secret; `jwt.kubernetesServiceAccountToken` is not.
    if (isObject(getAt(auth, ['jwt', 'secretRef']))) {
      findings.push({
        path: ['spec', 'provider', 'vault', 'auth', 'jwt', 'secretRef'],
        message:
          'The secret store logs in to Vault with a JWT kept in a Kubernetes Secret (`auth.jwt.secretRef`) instead of a fresh service-account token.',
      });
    }
    return findings;
  },
});
