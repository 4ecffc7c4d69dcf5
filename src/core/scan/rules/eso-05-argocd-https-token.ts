/**
 * ESO-05: the RFC ranks Argo CD Git credentials: a GitHub App first, an SSH deploy key next,
 * and an HTTPS personal access token or deploy token last, to be avoided (§7.2.2). A PAT is
 * tied to a person, usually spans many repositories and rarely expires.
 */
import { arrayAt, entriesOf, getAt, isKind, isObject } from '../document.ts';
import type { DocPath, K8sDocument } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  ARGOCD_REPO_TYPES,
  ARGOCD_SECRET_TYPE_LABEL,
  argoCdSecretType,
} from './support/argocd-secret.ts';
import { isEsoManaged } from './support/eso-managed.ts';
import { dataEntries } from './support/secret-data.ts';

const PREFERRED = ['sshPrivateKey', 'githubAppPrivateKey', 'githubAppID'];

interface Credential {
  readonly keys: ReadonlyMap<string, DocPath>;
  /** The repository URL when written literally; undefined when it comes from elsewhere. */
  readonly url: string | undefined;
}

function judge(credential: Credential): DocPath | undefined {
  const password = credential.keys.get('password');
  if (password === undefined) return undefined;
  if (PREFERRED.some((key) => credential.keys.has(key))) return undefined;
  if (credential.url !== undefined && !/^https:\/\//i.test(credential.url)) return undefined;
  return password;
}

function fromSecret(document: K8sDocument): Credential | undefined {
  const type = argoCdSecretType(document);
  // Literal credentials in unmanaged Secrets are ESO-03's (critical) finding.
  if (type === undefined || !ARGOCD_REPO_TYPES.has(type) || !isEsoManaged(document))
    return undefined;
  const entries = dataEntries(document);
  return {
    keys: new Map(entries.map((entry) => [entry.key, entry.path])),
    url: entries.find((entry) => entry.key === 'url')?.text,
  };
}

function fromExternalSecret(document: K8sDocument): Credential | undefined {
  const type = getAt(document.value, [
    'spec',
    'target',
    'template',
    'metadata',
    'labels',
    ARGOCD_SECRET_TYPE_LABEL,
  ]);
  if (typeof type !== 'string' || !ARGOCD_REPO_TYPES.has(type)) return undefined;
  const keys = new Map<string, DocPath>();
  let url: string | undefined;
  for (const [key, value] of entriesOf(
    getAt(document.value, ['spec', 'target', 'template', 'data']),
  )) {
    keys.set(key, ['spec', 'target', 'template', 'data', key]);
    if (key === 'url' && typeof value === 'string' && !value.includes('{{')) url = value;
  }
  arrayAt(document.value, ['spec', 'data']).forEach((item, index) => {
    if (!isObject(item) || typeof item['secretKey'] !== 'string') return;
    if (!keys.has(item['secretKey']))
      keys.set(item['secretKey'], ['spec', 'data', index, 'secretKey']);
  });
  return { keys, url };
}

export const rule = defineRule({
  meta: {
    id: 'ESO-05',
    title: 'Argo CD repository uses an HTTPS token',
    invariants: ['INV-2'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret', 'ExternalSecret'],
    message:
      'Argo CD reaches the repository with an HTTPS username and token instead of a GitHub App or SSH deploy key.',
    fix: 'Switch the repository credential to a GitHub App (`githubAppID`, `githubAppInstallationID`, `githubAppPrivateKey`) or a read-only SSH deploy key, and revoke the token.',
    docsAnchor: 'eso-05',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const credential =
      document.classification.k8sKind === 'Secret'
        ? fromSecret(document)
        : fromExternalSecret(document);
    const path = credential === undefined ? undefined : judge(credential);
    if (path === undefined) return [];
    const findings: RuleFinding[] = [{ path }];
    return findings;
  },
});
