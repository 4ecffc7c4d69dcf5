/**
 * ESO-03: Argo CD repository credentials committed as a literal Secret: the password, SSH key
 * or GitHub App key sits in Git for anyone with read access. The RFC delivers them from Vault
 * through an ExternalSecret template (§7.2.2); Secrets ESO manages are not reported.
 */
import { isKind } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { ARGOCD_REPO_TYPES, argoCdSecretType } from './support/argocd-secret.ts';
import { isEsoManaged } from './support/eso-managed.ts';
import { dataEntries, isPlaceholder } from './support/secret-data.ts';

const CREDENTIAL_KEYS: Readonly<Record<string, string>> = {
  password: 'a password or access token',
  sshPrivateKey: 'an SSH private key',
  githubAppPrivateKey: 'a GitHub App private key',
  tlsClientCertKey: 'a TLS client key',
};

export const rule = defineRule({
  meta: {
    id: 'ESO-03',
    title: 'Argo CD repository credential committed',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message: 'An Argo CD repository Secret is committed with a literal credential.',
    fix: 'Revoke the credential, delete the Secret from Git, and let an ExternalSecret render it from Vault (`secret/platform/argocd/...`) with the `argocd.argoproj.io/secret-type` label in its template.',
    docsAnchor: 'eso-03',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const type = argoCdSecretType(document);
    if (type === undefined || !ARGOCD_REPO_TYPES.has(type) || isEsoManaged(document)) return [];
    const findings: RuleFinding[] = [];
    for (const entry of dataEntries(document)) {
      const what = CREDENTIAL_KEYS[entry.key];
      if (what === undefined || isPlaceholder(entry.text)) continue;
      findings.push({
        path: entry.path,
        message: `Argo CD ${type} Secret \`${document.classification.name}\` holds ${what} in \`${entry.key}\`, committed to Git.`,
      });
    }
    return findings;
  },
});
