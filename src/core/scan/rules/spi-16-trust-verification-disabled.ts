/**
 * SPI-16: SPIRE told not to verify whom it trusts (INV-1: receivers validate). An agent with
 * `insecure_bootstrap = true` takes the trust bundle from whatever answers at the server
 * address (and one with an `http://` `trust_bundle_url` from whatever answers there), so whoever
 * sits in between decides every identity the node's workloads accept. A
 * `vault` upstream authority with `insecure_skip_verify` accepts any certificate for Vault,
 * which signs the server's own CA. Read from agent and server configurations (files, or inside
 * a ConfigMap) and the Helm chart's `upstreamAuthority.vault.insecureSkipVerify`.
 */
import { getAt } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import { firstBlock, helmServerValues, pluginsOf, spireConfigs } from './support/spire.ts';

function isOn(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

export const rule = defineRule({
  meta: {
    id: 'SPI-16',
    title: 'SPIRE trust verification disabled',
    invariants: ['INV-1'],
    severity: 'high',
    appliesTo: ['spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ConfigMap'],
    message: 'SPIRE is configured to trust a peer without verifying it.',
    fix: 'Give agents the trust bundle (`trust_bundle_path`, `trust_bundle_url`, or the chart bundle ConfigMap) instead of `insecure_bootstrap`, and give the Vault upstream authority its CA (`ca_cert_path`) instead of `insecure_skip_verify`.',
    docsAnchor: 'spi-16',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const config of spireConfigs(document)) {
      if (config.component === 'agent') {
        const agent = firstBlock(config.value, config.path, 'agent');
        if (agent !== undefined && isOn(agent.value['insecure_bootstrap'])) {
          findings.push({
            path: [...agent.path, 'insecure_bootstrap'],
            message:
              'The agent bootstraps with insecure_bootstrap: it accepts the trust bundle of whatever answers at its server address.',
          });
        }
        const url = agent?.value['trust_bundle_url'];
        if (agent !== undefined && typeof url === 'string' && /^http:\/\//i.test(url.trim())) {
          findings.push({
            path: [...agent.path, 'trust_bundle_url'],
            message: `The agent downloads its trust bundle over plain http (${url.trim()}): whoever is on the path chooses the bundle.`,
          });
        }
      }
      for (const plugin of pluginsOf(config, 'UpstreamAuthority')) {
        if (plugin.name !== 'vault' || plugin.data === undefined) continue;
        if (!isOn(plugin.data.value['insecure_skip_verify'])) continue;
        findings.push({
          path: [...plugin.data.path, 'insecure_skip_verify'],
          message:
            "The vault upstream authority skips TLS verification: any server can sign this SPIRE server's CA.",
        });
      }
    }
    const helm = helmServerValues(document);
    if (
      helm !== undefined &&
      isOn(getAt(helm.value, ['upstreamAuthority', 'vault', 'insecureSkipVerify']))
    ) {
      findings.push({
        path: [...helm.path, 'upstreamAuthority', 'vault', 'insecureSkipVerify'],
        message:
          "The chart's vault upstream authority skips TLS verification: any server can sign this SPIRE server's CA.",
      });
    }
    return findings;
  },
});
