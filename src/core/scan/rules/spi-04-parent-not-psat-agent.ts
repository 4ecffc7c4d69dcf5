/**
 * SPI-04: a workload entry not parented by a Kubernetes PSAT-attested agent
 * (`spiffe://<td>/spire/agent/k8s_psat/<cluster>/…`, or a node alias whose selectors are
 * `k8s_psat` ones in the same file), or node attestation by `join_token`, a pre-shared secret
 * the catalogue allows only for bootstrap (INV-2, INV-3): in server and agent configurations
 * (files, or inside a ConfigMap) and in the Helm chart's `nodeAttestor.joinToken.enabled`.
 */
import { getAt } from '../document.ts';
import type { RuleFinding } from '../rule.ts';
import { defineRule } from '../rule.ts';
import {
  helmServerValues,
  isNodeEntry,
  pluginsOf,
  spireConfigs,
  spireEntries,
} from './support/spire.ts';

const PSAT_AGENT = /^\/spire\/agent\/k8s_psat\/[^/]+\/.+$/;
const JOIN_TOKEN_AGENT = /^\/spire\/agent\/join_token\//;

export const rule = defineRule({
  meta: {
    id: 'SPI-04',
    title: 'Entry not parented by a PSAT-attested agent, or join-token attestation',
    invariants: ['INV-3', 'INV-2'],
    severity: 'medium',
    appliesTo: ['spire-entries', 'spire-config', 'spire-helm-values', 'k8s'],
    k8sKinds: ['ClusterStaticEntry', 'ConfigMap'],
    message: 'The identity hangs off a node that was not attested by Kubernetes PSAT.',
    fix: 'Attest Kubernetes nodes with the `k8s_psat` node attestor and parent workload entries on `spiffe://<td>/spire/agent/k8s_psat/<cluster>/…` (or a k8s_psat node alias); keep join tokens for one-time bootstrap.',
    docsAnchor: 'spi-04',
  },
  check(document) {
    const findings: RuleFinding[] = [];
    for (const config of spireConfigs(document)) {
      for (const plugin of pluginsOf(config, 'NodeAttestor')) {
        if (plugin.name !== 'join_token') continue;
        findings.push({
          path: plugin.labelPath,
          message:
            'The join_token node attestor admits nodes by a pre-shared secret instead of attested properties.',
        });
      }
    }
    const helm = helmServerValues(document);
    const enabled = getAt(helm?.value, ['nodeAttestor', 'joinToken', 'enabled']);
    if (helm !== undefined && (enabled === true || enabled === 'true')) {
      findings.push({
        path: [...helm.path, 'nodeAttestor', 'joinToken', 'enabled'],
        message:
          'The chart enables the join_token node attestor, which admits nodes by a pre-shared secret instead of attested properties.',
      });
    }
    const entries = spireEntries(document);
    // Node aliases declared here whose selectors attest nodes through Kubernetes PSAT.
    const psatAliases = new Set(
      entries
        .filter(
          (entry) =>
            isNodeEntry(entry) && entry.selectors.some((selector) => selector.type === 'k8s_psat'),
        )
        .map((entry) => entry.spiffeId?.value.text),
    );
    for (const entry of entries) {
      const parent = entry.parentId;
      if (parent === undefined || isNodeEntry(entry)) continue;
      const path = parent.value.path;
      if (PSAT_AGENT.test(path) || psatAliases.has(parent.value.text)) continue;
      findings.push({
        path: parent.path,
        message: JOIN_TOKEN_AGENT.test(path)
          ? `Entry ${entry.object.name} is parented by a join-token agent (${parent.value.text}).`
          : `Entry ${entry.object.name} has parent ${parent.value.text}, which is not a k8s_psat agent ID.`,
        object: entry.object,
      });
    }
    return findings;
  },
});
