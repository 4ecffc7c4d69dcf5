import { describe, expect, it } from 'vitest';
import { rule as k8s13 } from '../../../../src/core/scan/rules/k8s-13-vault-agent-auth-method.ts';
import { rule as k8s14 } from '../../../../src/core/scan/rules/k8s-14-vault-k8s-mount-name.ts';
import { rule as k8s15 } from '../../../../src/core/scan/rules/k8s-15-vault-secrets-on-disk.ts';
import { at, runRule } from './support/run-rule.ts';

const agentConfigMap = (hcl: string): string => `
  apiVersion: v1
  kind: ConfigMap
  metadata: { name: daily-report-vault-config, namespace: analytics }
  data:
    config.hcl: |
${hcl
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
`;

const KUBERNETES_AGENT = `auto_auth {
  method "kubernetes" {
    mount_path = "auth/kubernetes-prod"
    config = {
      role = "daily-report"
    }
  }
  sink "file" {
    config = {
      path = "/vault/secrets/.vault-token"
    }
  }
}`;

describe('K8S-13 Vault Agent logging in without Kubernetes auth', () => {
  it('flags an AppRole agent configuration kept in a ConfigMap, at its key', async () => {
    const findings = await runRule(k8s13, {
      'cm.yaml': agentConfigMap(`auto_auth {
  method "approle" {
    config = {
      role_id_file_path = "/etc/vault/role-id"
      secret_id_file_path = "/etc/vault/secret-id"
    }
  }
}`),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-13', severity: 'high' });
    expect(at(findings[0])).toBe('5:3');
    expect(findings[0]?.message).toContain('`approle`');
  });

  it('flags a `method { type = "token_file" }` block in an agent HCL file', async () => {
    const findings = await runRule(k8s13, {
      'vault/agent.hcl': `
        auto_auth {
          method {
            type = "token_file"
            config = {
              token_file_path = "/home/vault/.vault-token"
            }
          }
        }
      `,
    });
    expect(findings).toHaveLength(1);
    expect(at(findings[0])).toBe('3:5');
  });

  it('accepts the Kubernetes method', async () => {
    expect(await runRule(k8s13, { 'cm.yaml': agentConfigMap(KUBERNETES_AGENT) })).toEqual([]);
    expect(await runRule(k8s13, { 'vault/agent.hcl': KUBERNETES_AGENT })).toEqual([]);
  });
});

describe('K8S-14 Vault Kubernetes auth mount not per cluster', () => {
  it('flags an agent HCL file that uses the bare auth/kubernetes mount, at mount_path', async () => {
    const findings = await runRule(k8s14, {
      'vault/agent.hcl': KUBERNETES_AGENT.replace('kubernetes-prod', 'kubernetes'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-14', severity: 'low' });
    expect(at(findings[0])).toBe('3:5');
  });

  it('flags a ClusterSecretStore without mountPath (ESO defaults to kubernetes)', async () => {
    const findings = await runRule(k8s14, {
      'store.yaml': `
        apiVersion: external-secrets.io/v1beta1
        kind: ClusterSecretStore
        metadata: { name: vault }
        spec:
          provider:
            vault:
              server: https://vault.vault.svc.cluster.local:8200
              path: secret
              version: v2
              auth:
                kubernetes:
                  role: external-secrets
                  serviceAccountRef: { name: external-secrets, namespace: external-secrets }
      `,
    });
    expect(findings.map(at)).toEqual(['11:9']);
    expect(findings[0]?.message).toContain('`auth/kubernetes`');
  });

  it('flags a Tekton step logging in at auth/kubernetes/login', async () => {
    const findings = await runRule(k8s14, {
      'task.yaml': `
        apiVersion: tekton.dev/v1
        kind: Task
        metadata: { name: deploy, namespace: tekton-pipelines }
        spec:
          steps:
            - name: vault-login
              image: hashicorp/vault:1.15
              script: |
                vault write -field=token auth/kubernetes/login role=tekton-deploy \\
                  jwt=@/var/run/secrets/vault/token > /workspace/.vault-token
      `,
    });
    expect(findings.map(at)).toEqual(['8:7']);
  });

  it("reads Tekton steps in a Pipeline's embedded taskSpec, their args and a sidecar (TKN-03)", async () => {
    const findings = await runRule(k8s14, {
      'pipeline.yaml': `
        apiVersion: tekton.dev/v1
        kind: Pipeline
        metadata: { name: release, namespace: tekton-pipelines }
        spec:
          tasks:
            - name: fetch-secrets
              taskSpec:
                steps:
                  - name: login
                    image: hashicorp/vault:1.15
                    args: ["write", "auth/kubernetes/login", "role=release"]
                  - name: per-cluster
                    image: hashicorp/vault:1.15
                    script: vault write auth/kubernetes-prod/login role=release jwt=@/token
                sidecars:
                  - name: agent
                    image: hashicorp/vault:1.15
                    script: vault login -method=kubernetes role=release
      `,
    });
    expect(findings.map((f) => [f.rule, at(f)])).toEqual([
      ['K8S-14', '11:13'],
      ['K8S-14', '18:13'],
    ]);
    expect(findings[0]?.message).toContain('fetch-secrets: step `login`');
  });

  it('flags the Vault Agent injector default when no auth-path annotation is set', async () => {
    const findings = await runRule(k8s14, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: api, namespace: payments }
        spec:
          template:
            metadata:
              annotations:
                vault.hashicorp.com/agent-inject: "true"
                vault.hashicorp.com/role: payments-api
            spec:
              serviceAccountName: api
              containers: [{ name: api, image: "ghcr.io/example/api:1" }]
      `,
    });
    expect(findings.map(at)).toEqual(['8:9']);
  });

  it('honours configured cluster names', async () => {
    const files = { 'vault/agent.hcl': KUBERNETES_AGENT };
    expect(await runRule(k8s14, files)).toEqual([]);
    const strict = await runRule(k8s14, files, {
      clusters: { names: ['eu-1'], vaultMount: 'kubernetes-{cluster}' },
    });
    expect(strict.map(at)).toEqual(['3:5']);
    expect(strict[0]?.message).toContain('auth/kubernetes-eu-1');
  });
});

describe('K8S-15 Vault secrets volume on disk', () => {
  const cronJob = (medium: string): string => `
    apiVersion: batch/v1
    kind: CronJob
    metadata: { name: daily-report, namespace: analytics }
    spec:
      schedule: "0 6 * * *"
      jobTemplate:
        spec:
          template:
            spec:
              serviceAccountName: daily-report
              restartPolicy: OnFailure
              initContainers:
                - name: vault-agent
                  image: hashicorp/vault:1.15
                  args: [agent, -config=/etc/vault/config.hcl, -exit-after-auth]
                  volumeMounts: [{ name: vault-secrets, mountPath: /vault/secrets }]
              containers:
                - name: report
                  image: ghcr.io/example/report:2
                  volumeMounts: [{ name: vault-secrets, mountPath: /vault/secrets, readOnly: true }]
              volumes:
                - name: vault-secrets
                  emptyDir: ${medium}
  `;

  it('flags the shared secrets emptyDir without medium: Memory', async () => {
    const findings = await runRule(k8s15, { 'cron.yaml': cronJob('{}') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-15', severity: 'low' });
    expect(at(findings[0])).toBe('23:15');
  });

  it('accepts an in-memory secrets volume', async () => {
    expect(await runRule(k8s15, { 'cron.yaml': cronJob('{ medium: Memory }') })).toEqual([]);
  });

  it('ignores emptyDirs that hold no Vault output', async () => {
    const findings = await runRule(k8s15, {
      'pod.yaml': `
        apiVersion: v1
        kind: Pod
        metadata: { name: cache, namespace: shop }
        spec:
          serviceAccountName: cache
          containers:
            - name: cache
              image: redis:7
              volumeMounts: [{ name: data, mountPath: /data }]
          volumes:
            - { name: data, emptyDir: {} }
      `,
    });
    expect(findings).toEqual([]);
  });
});
