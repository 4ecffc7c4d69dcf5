import { describe, expect, it } from 'vitest';
import { rule as k8s21 } from '../../../../src/core/scan/rules/k8s-21-spiffe-id-mismatch.ts';
import { rule as k8s22 } from '../../../../src/core/scan/rules/k8s-22-spiffe-id-path-shape.ts';
import { at, runRule } from './support/run-rule.ts';

const pod = (spiffeId: string, kind = 'Deployment', extraMetadata = ''): string => `
  apiVersion: apps/v1
  kind: ${kind}
  metadata:
    name: api
    namespace: payments${extraMetadata}
  spec:
    template:
      metadata:
        annotations:
          spiffe.io/spiffe-id: "${spiffeId}"
      spec:
        serviceAccountName: api
        containers: [{ name: api, image: "ghcr.io/example/api:1" }]
`;

describe('K8S-21 SPIFFE ID not matching the pod', () => {
  it('flags an ID naming another ServiceAccount, at the annotation', async () => {
    const findings = await runRule(k8s21, {
      'api.yaml': pod('spiffe://prod.example.com/ns/payments/sa/admin'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-21', severity: 'high' });
    expect(at(findings[0])).toBe('10:9');
    expect(findings[0]?.message).toContain('ServiceAccount `admin` (the pod runs as `api`)');
  });

  it('flags a trust domain outside the configured allowlist', async () => {
    const findings = await runRule(
      k8s21,
      { 'api.yaml': pod('spiffe://evil.example.net/ns/payments/sa/api') },
      {
        trustDomains: ['prod.example.com', 'staging.example.com'],
      },
    );
    expect(findings.map(at)).toEqual(['10:9']);
    expect(findings[0]?.message).toContain('evil.example.net');
  });

  it('accepts the registrar template and the literal own identity', async () => {
    const template = pod('spiffe://prod.example.com/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}');
    const literal = pod('spiffe://prod.example.com/ns/payments/sa/api');
    expect(
      await runRule(
        k8s21,
        { 'a.yaml': template, 'b.yaml': literal },
        { trustDomains: ['prod.example.com'] },
      ),
    ).toEqual([]);
  });
});

describe('K8S-22 SPIFFE ID outside the /ns/<ns>/sa/<sa> scheme', () => {
  it('flags a path that is not /ns/<ns>/sa/<sa>', async () => {
    const findings = await runRule(k8s22, {
      'api.yaml': pod('spiffe://prod.example.com/payments/api'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-22', severity: 'medium' });
    expect(at(findings[0])).toBe('10:9');
  });

  it('flags a value that is not a SPIFFE ID at all', async () => {
    const findings = await runRule(k8s22, { 'api.yaml': pod('payments/api') });
    expect(findings[0]?.message).toContain('is not a SPIFFE ID');
  });

  it('accepts a justified node-level DaemonSet, and the standard shape', async () => {
    const justified = pod(
      'spiffe://prod.example.com/node/log-agent',
      'DaemonSet',
      '\n    annotations:\n      workload-identity.platform/justification: one identity per node for the log agent',
    );
    const standard = pod('spiffe://prod.example.com/ns/payments/sa/api');
    expect(await runRule(k8s22, { 'ds.yaml': justified, 'api.yaml': standard })).toEqual([]);
  });
});
