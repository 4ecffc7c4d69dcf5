import { describe, expect, it } from 'vitest';
import { rule as k8s18 } from '../../../../src/core/scan/rules/k8s-18-namespace-not-meshed.ts';
import { rule as k8s19 } from '../../../../src/core/scan/rules/k8s-19-mesh-injection-disabled.ts';
import { rule as k8s20 } from '../../../../src/core/scan/rules/k8s-20-mesh-port-bypass.ts';
import { at, runRule } from './support/run-rule.ts';

const namespace = (name: string, annotations = ''): string => `
  apiVersion: v1
  kind: Namespace
  metadata:
    name: ${name}${annotations === '' ? '' : `\n    annotations:\n      ${annotations}`}
`;

const workload = (name: string, ns: string, podAnnotations = ''): string => `
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: ${name}, namespace: ${ns} }
  spec:
    template:
      metadata:
        labels: { app: ${name} }${podAnnotations === '' ? '' : `\n        annotations:\n          ${podAnnotations}`}
      spec:
        serviceAccountName: ${name}
        containers: [{ name: ${name}, image: "ghcr.io/example/${name}:1" }]
`;

describe('K8S-18 workloads outside the Linkerd mesh', () => {
  it('flags an application Namespace without injection, naming its unmeshed workloads', async () => {
    const findings = await runRule(k8s18, {
      'ns.yaml': namespace('payments'),
      'api.yaml': workload('api', 'payments'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-18', severity: 'medium', file: 'ns.yaml' });
    expect(at(findings[0])).toBe('4:3');
    expect(findings[0]?.message).toContain('Deployment/api');
  });

  it('does not flag a workload whose Namespace, in another file, enables injection', async () => {
    const findings = await runRule(k8s18, {
      'namespaces/payments.yaml': namespace('payments', 'linkerd.io/inject: enabled'),
      'apps/api.yaml': workload('api', 'payments'),
    });
    expect(findings).toEqual([]);
  });

  it('accepts a Namespace whose every workload opts in at pod level', async () => {
    const findings = await runRule(k8s18, {
      'ns.yaml': namespace('payments'),
      'api.yaml': workload('api', 'payments', 'linkerd.io/inject: enabled'),
    });
    expect(findings).toEqual([]);
  });

  it('reports a workload whose Namespace is not in the scan at low severity, on its template', async () => {
    const findings = await runRule(k8s18, { 'api.yaml': workload('api', 'payments') });
    expect(findings.map((finding) => [finding.severity, at(finding)])).toEqual([['low', '6:5']]);
  });

  it('leaves platform namespaces alone', async () => {
    const findings = await runRule(k8s18, {
      'ns.yaml': namespace('kube-system'),
      'dns.yaml': workload('coredns', 'kube-system'),
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-19 Linkerd injection disabled', () => {
  it('flags a pod template that opts out, at the annotation, even in an enabled Namespace', async () => {
    const findings = await runRule(k8s19, {
      'ns.yaml': namespace('payments', 'linkerd.io/inject: enabled'),
      'batch.yaml': workload('reconciler', 'payments', 'linkerd.io/inject: disabled'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-19', severity: 'high', file: 'batch.yaml' });
    expect(at(findings[0])).toBe('9:9');
  });

  it('flags a Namespace that disables injection', async () => {
    const findings = await runRule(k8s19, {
      'ns.yaml': namespace('legacy', 'linkerd.io/inject: disabled'),
    });
    expect(findings.map(at)).toEqual(['6:5']);
  });

  it('flags the annotation on the ingress controller Deployment itself', async () => {
    const findings = await runRule(k8s19, {
      'ingress.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: ingress-nginx-controller
          namespace: ingress-nginx
          annotations:
            linkerd.io/inject: disabled
        spec:
          template:
            spec:
              serviceAccountName: ingress-nginx
              containers: [{ name: controller, image: "registry.k8s.io/ingress-nginx/controller:v1.11.2" }]
      `,
    });
    expect(findings.map(at)).toEqual(['7:5']);
  });

  it('accepts enabled pods and the Linkerd control plane', async () => {
    const findings = await runRule(k8s19, {
      'api.yaml': workload('api', 'payments', 'linkerd.io/inject: enabled'),
      'linkerd.yaml': namespace('linkerd', 'linkerd.io/inject: disabled'),
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-20 traffic bypassing the Linkerd proxy', () => {
  it('flags skip-inbound-ports at medium and opaque-ports at low', async () => {
    const findings = await runRule(k8s20, {
      'db.yaml': `
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: { name: postgres, namespace: payments }
        spec:
          template:
            metadata:
              annotations:
                linkerd.io/inject: enabled
                config.linkerd.io/skip-inbound-ports: "5432"
                config.linkerd.io/opaque-ports: "5433"
            spec:
              serviceAccountName: postgres
              containers: [{ name: postgres, image: "postgres:16" }]
      `,
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['K8S-20', 'medium', '9:9'],
      ['K8S-20', 'low', '10:9'],
    ]);
  });

  it('accepts a meshed pod without port exceptions', async () => {
    expect(
      await runRule(k8s20, {
        'api.yaml': workload('api', 'payments', 'linkerd.io/inject: enabled'),
      }),
    ).toEqual([]);
  });
});
