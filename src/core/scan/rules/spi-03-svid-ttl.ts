/**
 * SPI-03: an entry or ClusterSPIFFEID asks for SVIDs living longer than 24 h (INV-2): entry
 * `x509_svid_ttl` (formerly `ttl`) or `jwt_svid_ttl` over 86400 s, ClusterSPIFFEID `ttl` /
 * `jwtTtl` or ClusterStaticEntry `x509SVIDTTL` / `jwtSVIDTTL` over 24h.
 */
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { durationSeconds, formatSeconds } from './support/durations.ts';
import { clusterSpiffeIdSpecs, fieldOf, spireEntries } from './support/spire.ts';

const DAY = 86_400;
const TTL_KEYS = [
  'x509_svid_ttl',
  'x509SvidTtl',
  'x509SVIDTTL',
  'ttl',
  'jwt_svid_ttl',
  'jwtSvidTtl',
  'jwtSVIDTTL',
];

export const rule = defineRule({
  meta: {
    id: 'SPI-03',
    title: 'SVID lifetime over 24 h',
    invariants: ['INV-2'],
    severity: 'high',
    appliesTo: ['spire-entries', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID', 'ClusterStaticEntry'],
    message: 'The registration asks for SVIDs living longer than 24 hours.',
    fix: 'Set the SVID TTL to at most 24h (the catalogue uses 1h: `x509_svid_ttl: 3600`).',
    docsAnchor: 'spi-03',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    const judge = (
      value: unknown,
      path: DocPath,
      owner: string,
      object: RuleFinding['object'],
    ): void => {
      const seconds = durationSeconds(value);
      if (seconds === undefined || seconds <= DAY) return;
      findings.push({
        path,
        message: `${owner} sets ${String(path.at(-1))} to ${formatSeconds(seconds)}, over the 24h SVID limit.`,
        ...(object === undefined ? {} : { object }),
      });
    };
    for (const entry of spireEntries(document)) {
      for (const key of TTL_KEYS) {
        const field = fieldOf(entry.entry, entry.path, key);
        if (field !== undefined)
          judge(field.value, field.path, `Entry ${entry.object.name}`, entry.object);
      }
    }
    for (const { name, spec, path } of clusterSpiffeIdSpecs(document)) {
      for (const key of ['ttl', 'jwtTtl', 'jwtTTL']) {
        if (spec[key] !== undefined)
          judge(spec[key], [...path, key], `ClusterSPIFFEID ${name}`, undefined);
      }
    }
    return findings;
  },
});
