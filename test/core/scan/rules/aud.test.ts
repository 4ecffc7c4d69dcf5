import { describe, expect, it } from 'vitest';
import { rule as aud01 } from '../../../../src/core/scan/rules/aud-01-vault-without-audit-device.ts';
import { rule as aud02 } from '../../../../src/core/scan/rules/aud-02-linkerd-trace-collector.ts';
import { at, runRule } from './support/run-rule.ts';

const VAULT_TF = `
  resource "vault_auth_backend" "kubernetes" {
    type = "kubernetes"
    path = "kubernetes-prod"
  }
`;

describe('AUD-01 Vault without an audit device', () => {
  it('reports once, on the first file that configures Vault', async () => {
    const found = await runRule(aud01, {
      'vault/auth.tf': VAULT_TF,
      'vault/policies.tf': `
        resource "vault_policy" "reader" {
          name   = "reader"
          policy = "path \\"secret/data/ns/a/*\\" { capabilities = [\\"read\\"] }"
        }
      `,
    });
    expect(found.map((f) => [f.rule, f.severity, f.file, at(f)])).toEqual([
      ['AUD-01', 'low', 'vault/auth.tf', '1:31'],
    ]);
  });

  it('is satisfied by a vault_audit resource in another file', async () => {
    const found = await runRule(aud01, {
      'vault/auth.tf': VAULT_TF,
      'vault/audit.tf': `
        resource "vault_audit" "file" {
          type    = "file"
          options = { file_path = "/vault/audit/audit.log" }
        }
      `,
    });
    expect(found).toEqual([]);
  });

  it('ignores Terraform that does not configure Vault', async () => {
    const found = await runRule(aud01, {
      'infra/s3.tf': `
        resource "aws_s3_bucket" "logs" {
          bucket = "logs"
        }
      `,
    });
    expect(found).toEqual([]);
  });
});

describe('AUD-02 meshed namespace without a trace collector', () => {
  const namespace = (annotations: string) => `
    apiVersion: v1
    kind: Namespace
    metadata:
      name: payments
      annotations:
        linkerd.io/inject: enabled${annotations}
  `;

  it('reports a meshed Namespace without a collector at its inject annotation', async () => {
    const found = await runRule(aud02, { 'k8s/ns.yaml': namespace('') });
    expect(found.map((f) => [f.rule, f.severity, at(f)])).toEqual([['AUD-02', 'info', '6:5']]);
  });

  it('accepts a Namespace that sets the collector', async () => {
    const found = await runRule(aud02, {
      'k8s/ns.yaml': namespace(
        '\n        config.linkerd.io/trace-collector: collector.linkerd-jaeger:55678',
      ),
    });
    expect(found).toEqual([]);
  });

  it('defers to the linkerd-jaeger injector when it is part of the scan', async () => {
    const found = await runRule(aud02, {
      'k8s/ns.yaml': namespace(''),
      'k8s/jaeger.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: jaeger-injector, namespace: linkerd-jaeger }
        spec:
          template:
            spec:
              containers: [{ name: jaeger-injector, image: cr.l5d.io/linkerd/jaeger-webhook:stable }]
      `,
    });
    expect(found).toEqual([]);
  });
});
