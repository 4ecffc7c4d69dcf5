import { describe, expect, it } from 'vitest';
import { rule as k8s10 } from '../../../../src/core/scan/rules/k8s-10-host-path-volume.ts';
import { rule as k8s11 } from '../../../../src/core/scan/rules/k8s-11-spire-socket-writable.ts';
import { rule as k8s12 } from '../../../../src/core/scan/rules/k8s-12-host-namespaces.ts';
import { at, runRule } from './support/run-rule.ts';

/** A workload consuming the SPIRE Workload API the way RFC §5.2.2 shows. */
const spireClient = (readOnly: string, type = 'Directory'): string => `
  apiVersion: apps/v1
  kind: Deployment
  metadata: { name: api, namespace: payments }
  spec:
    template:
      spec:
        serviceAccountName: api
        containers:
          - name: api
            image: ghcr.io/example/api:1
            volumeMounts:
              - name: spire-agent-socket
                mountPath: /run/spire/sockets${readOnly}
        volumes:
          - name: spire-agent-socket
            hostPath:
              path: /run/spire/sockets
              type: ${type}
`;

describe('K8S-10 hostPath volume in a workload', () => {
  it('flags a workload mounting the node filesystem, at hostPath', async () => {
    const findings = await runRule(k8s10, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: log-shipper, namespace: observability }
        spec:
          template:
            spec:
              serviceAccountName: log-shipper
              containers: [{ name: shipper, image: "ghcr.io/example/shipper:1" }]
              volumes:
                - name: varlog
                  hostPath:
                    path: /var/log
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-10', severity: 'medium' });
    expect(at(findings[0])).toBe('11:11');
    expect(findings[0]?.message).toContain('/var/log');
  });

  it('flags the SPIRE socket directory when it may be created (DirectoryOrCreate)', async () => {
    const findings = await runRule(k8s10, {
      'deploy.yaml': spireClient('\n                readOnly: true', 'DirectoryOrCreate'),
    });
    expect(findings.map(at)).toEqual(['17:11']);
  });

  it('accepts the SPIRE socket directory as an existing directory', async () => {
    expect(
      await runRule(k8s10, { 'deploy.yaml': spireClient('\n                readOnly: true') }),
    ).toEqual([]);
  });

  it('accepts the SPIRE agent itself in the spire namespace', async () => {
    const findings = await runRule(k8s10, {
      'agent.yaml': `
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: spire-agent, namespace: spire }
        spec:
          template:
            spec:
              serviceAccountName: spire-agent
              hostPID: true
              hostNetwork: true
              containers: [{ name: agent, image: "ghcr.io/spiffe/spire-agent:1.9" }]
              volumes:
                - name: sockets
                  hostPath: { path: /run/spire/sockets, type: DirectoryOrCreate }
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-11 SPIRE socket mounted writable', () => {
  it('flags a socket mount without readOnly, at its mountPath', async () => {
    const findings = await runRule(k8s11, { 'deploy.yaml': spireClient('') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-11', severity: 'medium' });
    expect(at(findings[0])).toBe('13:15');
  });

  it('flags readOnly: false at the readOnly key', async () => {
    const findings = await runRule(k8s11, {
      'deploy.yaml': spireClient('\n                readOnly: false'),
    });
    expect(findings.map(at)).toEqual(['14:15']);
  });

  it('accepts a read-only socket mount', async () => {
    expect(
      await runRule(k8s11, { 'deploy.yaml': spireClient('\n                readOnly: true') }),
    ).toEqual([]);
  });
});

describe('K8S-12 pod sharing the node namespaces', () => {
  it('flags hostNetwork and hostPID on an application Deployment', async () => {
    const findings = await runRule(k8s12, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: sniffer, namespace: shop }
        spec:
          template:
            spec:
              serviceAccountName: sniffer
              hostPID: true
              hostNetwork: true
              containers: [{ name: sniffer, image: "ghcr.io/example/sniffer:1" }]
      `,
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['K8S-12', 'high', '8:7'],
      ['K8S-12', 'high', '9:7'],
    ]);
  });

  it('accepts the SPIRE agent and DaemonSets of platform namespaces', async () => {
    const findings = await runRule(k8s12, {
      'cni.yaml': `
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: { name: linkerd-cni, namespace: kube-system }
        spec:
          template:
            spec:
              serviceAccountName: linkerd-cni
              hostNetwork: true
              containers: [{ name: install-cni, image: "cr.l5d.io/linkerd/cni-plugin:v1.5.0" }]
      `,
    });
    expect(findings).toEqual([]);
  });

  it('still flags a Deployment in a platform namespace, which is not node-level', async () => {
    const findings = await runRule(k8s12, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: helper, namespace: kube-system }
        spec:
          template:
            spec:
              serviceAccountName: helper
              hostNetwork: true
              containers: [{ name: helper, image: "ghcr.io/example/helper:1" }]
      `,
    });
    expect(findings.map(at)).toEqual(['8:7']);
  });
});
