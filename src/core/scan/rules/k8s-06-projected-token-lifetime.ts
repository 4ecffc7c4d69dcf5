/**
 * K8S-06: projected service-account tokens stay short. API-audience tokens for controllers may
 * live an hour (the kubelet's default); a token meant for Vault lives 10 minutes, because Vault
 * only reads it once at login.
 */
import { isKind } from '../document.ts';
import { podTemplate, WORKLOAD_KINDS } from '../k8s.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds, formatSeconds } from './support/durations.ts';
import { mountsOf, projectedTokens, volumesOf } from './support/pod-volumes.ts';

/** The kubelet's default when `expirationSeconds` is absent. */
const DEFAULT_EXPIRATION = 3600;
const MAX_EXPIRATION = 3600;
const MAX_VAULT_EXPIRATION = 600;

export const rule = defineRule({
  meta: {
    id: 'K8S-06',
    title: 'Projected token lives too long',
    invariants: ['INV-2', 'INV-4'],
    severity: 'high',
    appliesTo: ['k8s'],
    k8sKinds: WORKLOAD_KINDS,
    message: 'The projected service-account token lives longer than one hour.',
    fix: 'Set `expirationSeconds` to at most 3600, and to 600 for tokens with audience `vault`.',
    docsAnchor: 'k8s-06',
  },
  check(document) {
    if (!isKind(document, 'k8s')) return [];
    const template = podTemplate(document);
    if (template === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const token of projectedTokens(volumesOf(template))) {
      const written = token.source['expirationSeconds'];
      const seconds = written === undefined ? DEFAULT_EXPIRATION : durationSeconds(written);
      if (seconds === undefined) continue;
      // Paths and wording only for a finding: nearly every token checked is short enough.
      if (seconds <= MAX_VAULT_EXPIRATION) continue;
      const path = written === undefined ? token.path : [...token.path, 'expirationSeconds'];
      const lifetime = formatSeconds(seconds);
      if (seconds > MAX_EXPIRATION) {
        findings.push({
          path,
          message: `The projected token in volume \`${token.volume.name}\` lives ${lifetime}; projected tokens must expire within 1h.`,
        });
        continue;
      }
      const audience = token.source['audience'];
      const forVault =
        (typeof audience === 'string' && /vault/i.test(audience)) ||
        mountsOf(template, token.volume.name).some((mount) =>
          /\/vault(\/|$)/.test(mount.mountPath),
        );
      if (forVault && seconds > MAX_VAULT_EXPIRATION) {
        findings.push({
          path,
          severity: 'low',
          message: `The Vault login token in volume \`${token.volume.name}\` lives ${lifetime}${written === undefined ? ' (the default)' : ''}; Vault-audience tokens should expire within 10m.`,
        });
      }
    }
    return findings;
  },
});
