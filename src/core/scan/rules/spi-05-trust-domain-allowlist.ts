/**
 * SPI-05: a SPIFFE ID in a trust domain that is not on the configured allowlist
 * (`trustDomains:` in .wif.yaml, e.g. `prod.example.com`, `staging.example.com`): in entries,
 * ClusterSPIFFEID templates (objects, or the Helm chart's `clusterSPIFFEIDs` values),
 * ClusterStaticEntry objects and the server's own trust domain (`trust_domain` in server.conf,
 * also inside a ConfigMap; the chart's `global.spire.trustDomain` or `spire-server.trustDomain`).
 * Pod annotations are K8S-21's. Without an allowlist the rule has nothing to compare to.
 */
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  clusterSpiffeIdSpecs,
  isTemplate,
  serverTrustDomains,
  spireEntries,
} from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-05',
    title: 'Trust domain not on the allowlist',
    invariants: ['INV-1'],
    severity: 'high',
    appliesTo: ['spire-entries', 'spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID', 'ClusterStaticEntry', 'ConfigMap'],
    message: 'A SPIFFE ID or server names a trust domain that is not on the allowlist.',
    fix: 'Use one of the trust domains listed under `trustDomains:` in .wif.yaml, or add this one there after review.',
    docsAnchor: 'spi-05',
  },
  check(document, context) {
    const allowed = new Set(context.config.trustDomains);
    if (allowed.size === 0) return [];
    const findings: RuleFinding[] = [];
    const judge = (
      trustDomain: string,
      path: DocPath,
      what: string,
      object?: RuleFinding['object'],
    ): void => {
      if (allowed.has(trustDomain) || isTemplate(trustDomain)) return;
      findings.push({
        path,
        message: `${what} is in trust domain ${trustDomain}, which is not on the allowlist (${[...allowed].join(', ')}).`,
        ...(object === undefined ? {} : { object }),
      });
    };
    for (const entry of spireEntries(document)) {
      if (entry.spiffeId !== undefined) {
        judge(
          entry.spiffeId.value.trustDomain,
          entry.spiffeId.path,
          `Entry ${entry.object.name}`,
          entry.object,
        );
      }
    }
    for (const { name, spec, path } of clusterSpiffeIdSpecs(document)) {
      const template = spec['spiffeIDTemplate'];
      const literal =
        typeof template === 'string' ? /^spiffe:\/\/([^/{]+)\//.exec(template.trim()) : null;
      if (literal?.[1] !== undefined) {
        judge(literal[1], [...path, 'spiffeIDTemplate'], `ClusterSPIFFEID ${name}`);
      }
    }
    for (const domain of serverTrustDomains(document)) {
      judge(domain.value, domain.path, 'The SPIRE server');
    }
    return findings;
  },
});
