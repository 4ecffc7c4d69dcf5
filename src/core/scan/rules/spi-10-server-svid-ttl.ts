/**
 * SPI-10: the SPIRE server's default SVID lifetimes exceed 24 h (`default_x509_svid_ttl`,
 * `default_jwt_svid_ttl`, the older `default_svid_ttl`), or its CA lives shorter than the
 * SVIDs it signs (`ca_ttl`), which SPIRE then cuts short at the CA's expiry.
 */
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds, formatSeconds } from './support/durations.ts';
import { serverConfig } from './support/spire.ts';

const DAY = 86_400;
/** SPIRE's documented defaults. */
const DEFAULT_CA_TTL = DAY;
const DEFAULT_X509_TTL = 3600;

export const rule = defineRule({
  meta: {
    id: 'SPI-10',
    title: 'SPIRE server SVID defaults over 24 h',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['spire-config'],
    message:
      'The SPIRE server issues SVIDs living longer than 24 hours by default, or longer than its CA.',
    fix: 'Set `default_x509_svid_ttl` and `default_jwt_svid_ttl` to at most 24h (1h recommended) and keep `ca_ttl` above them.',
    docsAnchor: 'spi-10',
  },
  check(document) {
    const config = serverConfig(document);
    if (config === undefined) return [];
    const findings: RuleFinding[] = [];
    for (const key of ['default_x509_svid_ttl', 'default_jwt_svid_ttl', 'default_svid_ttl']) {
      const seconds = durationSeconds(config.server[key]);
      if (seconds === undefined || seconds <= DAY) continue;
      findings.push({
        path: [...config.path, key],
        message: `${key} is ${formatSeconds(seconds)}, over the 24h SVID limit.`,
      });
    }
    const ca = durationSeconds(config.server['ca_ttl']);
    const x509 =
      durationSeconds(config.server['default_x509_svid_ttl']) ??
      durationSeconds(config.server['default_svid_ttl']) ??
      DEFAULT_X509_TTL;
    if ((ca ?? DEFAULT_CA_TTL) < x509) {
      findings.push({
        path: [...config.path, ca === undefined ? 'default_x509_svid_ttl' : 'ca_ttl'],
        message: `ca_ttl ${formatSeconds(ca ?? DEFAULT_CA_TTL)} is shorter than the ${formatSeconds(x509)} X.509-SVID lifetime.`,
      });
    }
    return findings;
  },
});
