/**
 * SPI-15: a static secret written into the values of the hardened SPIRE chart, where Git keeps
 * it for good (INV-2): the upstream CA's private key (`upstreamAuthority.disk.secret.data.key`,
 * which the chart turns into a Secret when `secret.create` is on), AWS access keys for the KMS
 * key manager, or the SQL datastore's password. The chart reads each from elsewhere instead: a
 * Secret the cluster creates, IRSA on the server's ServiceAccount, `externalSecret`.
 */
import { getAt } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding, Severity } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isPlaceholder } from './support/secret-data.ts';
import { helmServerValues } from './support/spire.ts';

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

export const rule = defineRule({
  meta: {
    id: 'SPI-15',
    title: 'Static secret in SPIRE Helm values',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['spire-helm-values'],
    message: 'The SPIRE chart values commit a static secret to Git.',
    fix: 'Remove the value and rotate it. Keep the upstream CA key in a Secret created outside Git (`upstreamAuthority.disk.secret.create: false`) or use a managed upstream authority; give the server IRSA for KMS; read the datastore password through `dataStore.sql.externalSecret`.',
    docsAnchor: 'spi-15',
  },
  check(document) {
    const helm = helmServerValues(document);
    if (helm === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const setting of SETTINGS) {
      const value = getAt(helm.value, setting.path);
      if (typeof value !== 'string' || isPlaceholder(value)) continue;
      const path: DocPath = [...helm.path, ...setting.path];
      findings.push({
        path,
        severity: setting.severity,
        message: `\`${setting.path.join('.')}\` holds ${setting.what}.`,
      });
    }
    return findings;
  },
});
