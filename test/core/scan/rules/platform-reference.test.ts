/**
 * The RFC's reference platform (test/fixtures/scan/platform: a meshed, default-deny payments
 * namespace with a projected Vault token, Vault Agent on kubernetes-prod, IRSA pinned to its
 * ServiceAccount, ESO-delivered Argo CD and Flux credentials, a justified operator binding)
 * run through the engine with the Kubernetes, RBAC, ESO and Linkerd rules. A compliant repository
 * must come out clean apart from the one deliberate, informational cross-namespace exception.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../src/core/scan/config.ts';
import { scan } from '../../../../src/core/scan/engine.ts';
import { RULES } from '../../../../src/core/scan/rules/index.ts';

const ROOT = path.join(import.meta.dirname, '..', '..', '..', 'fixtures', 'scan', 'platform');
const FAMILIES = /^(K8S|RBAC|ESO|LNK)-/;

describe('the reference platform', () => {
  it('passes every Kubernetes, RBAC, ESO and Linkerd rule except the explicit LNK-05 crossing', async () => {
    const result = await scan({
      root: ROOT,
      inputs: ['.'],
      include: [],
      exclude: [],
      config: { ...DEFAULT_CONFIG, trustDomains: ['prod.example.com'] },
      rules: RULES.filter((rule) => FAMILIES.test(rule.meta.id)),
    });
    expect(result.documents).toBeGreaterThan(20);
    const findings = result.findings.map((finding) => ({
      rule: finding.ruleId,
      severity: finding.severity,
      at: `${finding.file}:${finding.line}:${finding.column}`,
    }));
    expect(findings).toEqual([
      { rule: 'LNK-05', severity: 'info', at: 'payments/mesh-policy.yaml:52:11' },
    ]);
  });
});
