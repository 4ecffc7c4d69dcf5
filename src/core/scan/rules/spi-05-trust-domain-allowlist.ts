/**
 * SPI-05: a SPIFFE ID in a trust domain that is not on the configured allowlist
 * (`trustDomains:` in .wif.yaml, e.g. `prod.example.com`, `staging.example.com`): in entries,
 * ClusterSPIFFEID templates, ClusterStaticEntry objects and the server's own `trust_domain`.
 * Pod annotations are K8S-21's. Without an allowlist the rule has nothing to compare to.
 */
import { getAt } from '../document.ts';
import type { DocPath } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { isTemplate, serverConfig, spireEntries } from './support/spire.ts';

export const rule = defineRule({
  meta: {
    id: 'SPI-05',
    title: 'Trust domain not on the allowlist',
    invariants: ['INV-1'],
    severity: 'high',
    appliesTo: ['spire-entries', 'spire-config', 'k8s'],
    k8sKinds: ['ClusterSPIFFEID', 'ClusterStaticEntry'],
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
    const classification = document.classification;
    if (classification.kind === 'k8s' && classification.k8sKind === 'ClusterSPIFFEID') {
      const template = getAt(document.value, ['spec', 'spiffeIDTemplate']);
      const literal =
        typeof template === 'string' ? /^spiffe:\/\/([^/{]+)\//.exec(template.trim()) : null;
      if (literal?.[1] !== undefined) {
        judge(literal[1], ['spec', 'spiffeIDTemplate'], `ClusterSPIFFEID ${classification.name}`);
      }
    }
    const server = serverConfig(document);
    const domain = server?.server['trust_domain'];
    if (server !== undefined && typeof domain === 'string') {
      judge(domain, [...server.path, 'trust_domain'], 'The SPIRE server');
    }
    return findings;
  },
});
