/**
 * SPI-15: a static secret written into SPIRE's configuration, where Git keeps it for good
 * (INV-2). In the hardened chart's values: the upstream CA's private key
 * (`upstreamAuthority.disk.secret.data.key`, which the chart turns into a Secret when
 * `secret.create` is on), AWS access keys for the KMS key manager, or the SQL datastore's
 * password; the chart reads each from elsewhere instead (a Secret the cluster creates, IRSA on
 * the server's ServiceAccount, `externalSecret`). In a server configuration (a file, or inside a
 * ConfigMap): the `vault` upstream authority's `token_auth.token` or
 * `approle_auth.approle_secret_id`, which the plugin reads from VAULT_TOKEN and
 * VAULT_APPROLE_SECRET_ID when left out.
 */
import { getAt } from '../document.ts';
import type { RuleFinding, Severity } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isPlaceholder } from './support/secret-data.ts';
import { firstBlock, helmServerValues, pluginsOf, spireConfigs } from './support/spire.ts';

interface SecretSetting {
  readonly path: readonly string[];
  readonly severity: Severity;
  readonly what: string;
}

const SETTINGS: readonly SecretSetting[] = [
  {
    path: ['upstreamAuthority', 'disk', 'secret', 'data', 'key'],
    severity: 'critical',
    what: 'the private key of the upstream CA that signs this server, so anyone who can read the repository can mint every SVID of the trust domain',
  },
  {
    path: ['keyManager', 'awsKMS', 'secretAccessKey'],
    severity: 'high',
    what: 'a static AWS secret access key for the KMS key manager',
  },
  {
    path: ['keyManager', 'awsKMS', 'accessKeyID'],
    severity: 'high',
    what: 'a static AWS access key id for the KMS key manager',
  },
  {
    path: ['dataStore', 'sql', 'password'],
    severity: 'high',
    what: 'the SQL datastore password',
  },
];

/** Credentials the `vault` upstream authority takes inline, which it can read from the environment. */
const VAULT_LITERALS: readonly (readonly [string, string, string])[] = [
  ['token_auth', 'token', 'a static Vault token'],
  ['approle_auth', 'approle_secret_id', 'an AppRole secret ID'],
];

export const rule = defineRule({
  meta: {
    id: 'SPI-15',
    title: 'Static secret in SPIRE configuration',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['spire-helm-values', 'spire-config', 'k8s'],
    k8sKinds: ['ConfigMap'],
    message: 'The SPIRE configuration commits a static secret to Git.',
    fix: 'Remove the value and rotate it. Keep the upstream CA key in a Secret created outside Git (`upstreamAuthority.disk.secret.create: false`) or use a managed upstream authority; give the server IRSA for KMS; read the datastore password through `dataStore.sql.externalSecret`; let the vault upstream authority authenticate with its Kubernetes or certificate method, or read its token from the environment.',
    docsAnchor: 'spi-15',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    const helm = helmServerValues(document);
    if (helm !== undefined) {
      for (const setting of SETTINGS) {
        const value = getAt(helm.value, setting.path);
        if (typeof value !== 'string' || isPlaceholder(value)) continue;
        findings.push({
          path: [...helm.path, ...setting.path],
          severity: setting.severity,
          message: `\`${setting.path.join('.')}\` holds ${setting.what}.`,
        });
      }
    }
    for (const config of spireConfigs(document)) {
      if (config.component !== 'server') continue;
      for (const plugin of pluginsOf(config, 'UpstreamAuthority')) {
        if (plugin.name !== 'vault' || plugin.data === undefined) continue;
        for (const [block, key, what] of VAULT_LITERALS) {
          const auth = firstBlock(plugin.data.value, plugin.data.path, block);
          const value = auth?.value[key];
          if (auth === undefined || typeof value !== 'string' || isPlaceholder(value)) continue;
          findings.push({
            path: [...auth.path, key],
            message: `The vault upstream authority's \`${block}.${key}\` holds ${what} in the file.`,
          });
        }
      }
    }
    return findings;
  },
});
