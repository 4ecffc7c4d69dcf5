import { describe, expect, it } from 'vitest';
import { rule } from '../../../../src/core/scan/rules/k8s-01-legacy-sa-token-secret.ts';
import { locations, scanFiles } from '../support/scan-files.ts';

const legacyToken = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: deployer
  namespace: ci
---
apiVersion: v1
kind: Secret
metadata:
  name: deployer-token
  namespace: ci
  annotations:
    kubernetes.io/service-account.name: deployer
type: kubernetes.io/service-account-token
`;

describe('K8S-01 legacy service-account token Secret', () => {
  it('flags a Secret of type kubernetes.io/service-account-token at its type key', async () => {
    const result = await scanFiles({ 'k8s/deployer.yaml': legacyToken }, { rules: [rule] });
    expect(locations(result, 'K8S-01')).toEqual(['k8s/deployer.yaml:14:1']);
    const finding = result.findings[0];
    expect(finding?.object).toEqual({ kind: 'Secret', name: 'deployer-token', namespace: 'ci' });
    expect(finding?.severity).toBe('high');
    expect(finding?.invariants).toEqual(['INV-2', 'INV-4']);
  });

  it('leaves Opaque and TLS Secrets alone', async () => {
    const result = await scanFiles(
      {
        'k8s/app.yaml': `apiVersion: v1
kind: Secret
metadata: { name: app-config }
type: Opaque
---
apiVersion: v1
kind: Secret
metadata: { name: ingress-tls }
type: kubernetes.io/tls
`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });

  it('does not count a commented-out token Secret', async () => {
    const result = await scanFiles(
      {
        'k8s/old.yaml': `apiVersion: v1
kind: Secret
metadata: { name: app }
type: Opaque
# type: kubernetes.io/service-account-token
`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });

  it('ignores a custom resource that happens to be called Secret', async () => {
    const result = await scanFiles(
      {
        'crd.yaml': `apiVersion: example.com/v1
kind: Secret
metadata: { name: x }
type: kubernetes.io/service-account-token
`,
      },
      { rules: [rule] },
    );
    expect(result.findings).toEqual([]);
  });
});
