/**
 * ESO-01: ESO's refresh is the rotation path of every credential it delivers (RFC §7.5.1):
 * a value rotated in Vault reaches the cluster at the next refresh. `0` (or the
 * `CreatedOnce` policy) never refreshes; more than 24h keeps revoked credentials in use.
 */
import { getAt, isKind } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds, formatSeconds } from './support/durations.ts';

const MAX_REFRESH = 24 * 3600;

function specPath(kind: string): DocPath | undefined {
  if (kind === 'ExternalSecret') return ['spec'];
  if (kind === 'ClusterExternalSecret') return ['spec', 'externalSecretSpec'];
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: 'ESO-01',
    title: 'ExternalSecret refreshes too rarely',
    invariants: ['INV-2'],
    severity: 'medium',
    appliesTo: ['k8s'],
    k8sKinds: ['ExternalSecret', 'ClusterExternalSecret'],
    message:
      'The ExternalSecret never refreshes, or refreshes less often than every 24h, so rotated credentials linger.',
    fix: 'Set `refreshInterval` to 1h (at most 24h) and keep `refreshPolicy` at `Periodic`.',
    docsAnchor: 'eso-01',
  },
  check(document) {
    if (!isKind(document, 'k8s') || document.classification.family !== 'external-secrets')
      return [];
    const base = specPath(document.classification.k8sKind);
    if (base === undefined) return [];
    const findings: RuleFinding[] = [];
    const policy = getAt(document.value, [...base, 'refreshPolicy']);
    if (policy === 'CreatedOnce') {
      findings.push({
        path: [...base, 'refreshPolicy'],
        message:
          '`refreshPolicy: CreatedOnce` never refreshes the Secret, so a rotated or revoked credential stays in use.',
      });
      return findings;
    }
    if (policy === 'OnChange') return findings;
    const interval = getAt(document.value, [...base, 'refreshInterval']);
    const seconds = durationSeconds(interval);
    if (seconds === undefined) return findings;
    if (seconds === 0) {
      findings.push({
        path: [...base, 'refreshInterval'],
        message:
          '`refreshInterval: 0` turns refresh off, so a rotated or revoked credential stays in use.',
      });
    } else if (seconds > MAX_REFRESH) {
      findings.push({
        path: [...base, 'refreshInterval'],
        message: `\`refreshInterval\` is ${formatSeconds(seconds)}, longer than the 24h ceiling for credential rotation.`,
      });
    }
    return findings;
  },
});
