/**
 * ESO-04: an Argo CD cluster Secret whose `config` carries a literal bearer token (or client
 * key, or password) is a standing credential to the target cluster committed to Git
 * (RFC §7.2.3). ESO renders these from Vault; Secrets it manages are not reported.
 */
import { getAt, isKind } from '../document.ts';
import { defineRule } from '../rule.ts';
import { argoCdSecretType } from './support/argocd-secret.ts';
import { isEsoManaged } from './support/eso-managed.ts';
import { dataEntry, isPlaceholder } from './support/secret-data.ts';

const CONFIG_CREDENTIALS: readonly (readonly [readonly string[], string])[] = [
  [['bearerToken'], 'a bearer token'],
  [['tlsClientConfig', 'keyData'], 'a TLS client key'],
  [['password'], 'a password'],
];

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const rule = defineRule({
  meta: {
    id: 'ESO-04',
    title: 'Argo CD cluster credential committed',
    invariants: ['INV-2'],
    severity: 'critical',
    appliesTo: ['k8s'],
    k8sKinds: ['Secret'],
    message: 'An Argo CD cluster Secret is committed with a literal credential in its `config`.',
    fix: 'Revoke the token, delete the Secret from Git, and render it from Vault (`secret/platform/clusters/<env>`) with an ExternalSecret template.',
    docsAnchor: 'eso-04',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    if (argoCdSecretType(document) !== 'cluster' || isEsoManaged(document)) return [];
    const entry = dataEntry(document, 'config');
    if (entry === undefined) return [];
    const config = parse(entry.text);
    for (const [path, what] of CONFIG_CREDENTIALS) {
      const value = getAt(config, path);
      if (typeof value !== 'string' || isPlaceholder(value)) continue;
      return [
        {
          path: entry.path,
          message: `Argo CD cluster Secret \`${document.classification.name}\` holds ${what} (\`config.${path.join('.')}\`), committed to Git.`,
        },
      ];
    }
    return [];
  },
});
