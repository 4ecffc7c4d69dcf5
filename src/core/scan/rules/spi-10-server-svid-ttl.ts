/**
 * SPI-10: the SPIRE server's default SVID lifetimes exceed 24 h (`default_x509_svid_ttl`,
 * `default_jwt_svid_ttl`, the older `default_svid_ttl`), or its CA lives shorter than the
 * SVIDs it signs (`ca_ttl`), which SPIRE then cuts short at the CA's expiry. Read from
 * server.conf files, server.conf embedded in a ConfigMap, and the hardened Helm chart's
 * `spire-server` values (`defaultX509SvidTTL`, `defaultJwtSvidTTL`, `caTTL`).
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds, formatSeconds } from './support/durations.ts';
import { serverLifetimes } from './support/spire.ts';

const DAY = 86_400;

export const rule = defineRule({
  meta: {
    id: 'SPI-10',
    title: 'SPIRE server SVID defaults over 24 h',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap'],
    message:
      'The SPIRE server issues SVIDs living longer than 24 hours by default, or longer than its CA.',
    fix: 'Set `default_x509_svid_ttl` and `default_jwt_svid_ttl` (Helm: `defaultX509SvidTTL`, `defaultJwtSvidTTL`) to at most 24h (1h recommended) and keep `ca_ttl` (`caTTL`) above them.',
    docsAnchor: 'spi-10',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const lifetimes of serverLifetimes(document)) {
      for (const setting of [lifetimes.x509, lifetimes.jwt, lifetimes.legacy]) {
        const seconds = durationSeconds(setting?.value);
        if (setting === undefined || seconds === undefined || seconds <= DAY) continue;
        findings.push({
          path: setting.path,
          message: `${setting.key} is ${formatSeconds(seconds)}, over the 24h SVID limit.`,
        });
      }
      const ca = durationSeconds(lifetimes.ca?.value);
      const caSeconds = ca ?? durationSeconds(lifetimes.defaults.ca) ?? DAY;
      const x509Setting = lifetimes.x509 ?? lifetimes.legacy;
      const x509 =
        durationSeconds(lifetimes.x509?.value) ??
        durationSeconds(lifetimes.legacy?.value) ??
        durationSeconds(lifetimes.defaults.x509) ??
        0;
      if (caSeconds >= x509) continue;
      const at = ca === undefined ? x509Setting : lifetimes.ca;
      if (at === undefined) continue;
      findings.push({
        path: at.path,
        message: `${lifetimes.ca?.key ?? 'ca_ttl'} ${formatSeconds(caSeconds)} is shorter than the ${formatSeconds(x509)} X.509-SVID lifetime.`,
      });
    }
    return findings;
  },
});
