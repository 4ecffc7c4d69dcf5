import { describe, expect, it } from 'vitest';
import { rule as k8s02 } from '../../../../src/core/scan/rules/k8s-02-sa-token-secret-reference.ts';
import { rule as k8s03 } from '../../../../src/core/scan/rules/k8s-03-default-service-account.ts';
import { rule as k8s04 } from '../../../../src/core/scan/rules/k8s-04-token-automount.ts';
import { rule as k8s05 } from '../../../../src/core/scan/rules/k8s-05-projected-token-audience.ts';
import { rule as k8s06 } from '../../../../src/core/scan/rules/k8s-06-projected-token-lifetime.ts';
import { at, runRule } from './support/run-rule.ts';

/** The RFC §5.1.3 shape: dedicated SA, no automount, a 10-minute Vault token. */
const COMPLIANT_API = `
  apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: api
    namespace: payments
  automountServiceAccountToken: false
  ---
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: api
    namespace: payments
  spec:
    template:
      spec:
        serviceAccountName: api
        containers:
          - name: api
            image: ghcr.io/example/api:1.4.2
            volumeMounts:
              - name: vault-token
                mountPath: /var/run/secrets/vault
                readOnly: true
        volumes:
          - name: vault-token
            projected:
              sources:
                - serviceAccountToken:
                    path: token
                    expirationSeconds: 600
                    audience: vault
`;

describe('K8S-02 ServiceAccount referencing a token Secret', () => {
  it('flags a secrets: entry naming a service-account-token Secret of the scan', async () => {
    const findings = await runRule(k8s02, {
      'sa.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: ci-deployer
          namespace: tools
        secrets:
          - name: ci-deployer-credentials
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: ci-deployer-credentials
          namespace: tools
          annotations:
            kubernetes.io/service-account.name: ci-deployer
        type: kubernetes.io/service-account-token
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-02', severity: 'medium' });
    expect(at(findings[0])).toBe('7:5');
    expect(findings[0]?.message).toContain('ci-deployer-credentials');
  });

  it('flags a generated-looking token name even when the Secret is not in the scan', async () => {
    const findings = await runRule(k8s02, {
      'sa.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata: { name: builder, namespace: ci }
        secrets:
          - name: builder-token-x7k2p
      `,
    });
    expect(findings.map(at)).toEqual(['5:5']);
  });

  it('accepts a ServiceAccount that lists no token Secret', async () => {
    const findings = await runRule(k8s02, {
      'sa.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata: { name: api, namespace: payments }
        secrets:
          - name: registry-pull-config
        imagePullSecrets:
          - name: registry-pull-config
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-03 pod running as the default ServiceAccount', () => {
  it('flags a Deployment whose template names no ServiceAccount, at its pod spec', async () => {
    const findings = await runRule(k8s03, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: web, namespace: shop }
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: nginx:1.27
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-03', severity: 'medium' });
    expect(at(findings[0])).toBe('6:5');
  });

  it('flags serviceAccountName: default inside a CronJob job template', async () => {
    const findings = await runRule(k8s03, {
      'cron.yaml': `
        apiVersion: batch/v1
        kind: CronJob
        metadata: { name: daily-report, namespace: analytics }
        spec:
          schedule: "0 6 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  serviceAccountName: default
                  restartPolicy: OnFailure
                  containers:
                    - name: report
                      image: ghcr.io/example/report:2.0
      `,
    });
    expect(findings.map(at)).toEqual(['10:11']);
  });

  it('accepts a workload with its own ServiceAccount', async () => {
    expect(await runRule(k8s03, { 'api.yaml': COMPLIANT_API })).toEqual([]);
  });
});

describe('K8S-04 automounted service-account token', () => {
  it('raises an explicit automountServiceAccountToken: true on a ServiceAccount to high', async () => {
    const findings = await runRule(k8s04, {
      'sa.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata: { name: legacy, namespace: shop }
        automountServiceAccountToken: true
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-04', severity: 'high' });
    expect(at(findings[0])).toBe('4:1');
  });

  it('flags a pod whose ServiceAccount (in another file) leaves automount on', async () => {
    const findings = await runRule(k8s04, {
      'sa.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata: { name: worker, namespace: shop }
      `,
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: worker, namespace: shop }
        spec:
          template:
            spec:
              serviceAccountName: worker
              containers: [{ name: worker, image: "ghcr.io/example/worker:3" }]
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'medium', file: 'deploy.yaml' });
    expect(at(findings[0])).toBe('6:5');
    expect(findings[0]?.message).toContain('ServiceAccount `worker` sets');
  });

  it('accepts a pod whose ServiceAccount turns automount off', async () => {
    expect(await runRule(k8s04, { 'api.yaml': COMPLIANT_API })).toEqual([]);
  });

  it('accepts a pod that turns automount off itself', async () => {
    const findings = await runRule(k8s04, {
      'pod.yaml': `
        apiVersion: v1
        kind: Pod
        metadata: { name: probe, namespace: shop }
        spec:
          serviceAccountName: probe
          automountServiceAccountToken: false
          containers: [{ name: probe, image: "busybox:1.36" }]
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-05 projected token without audience', () => {
  it('flags the serviceAccountToken source that sets no audience', async () => {
    const findings = await runRule(k8s05, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: api, namespace: payments }
        spec:
          template:
            spec:
              serviceAccountName: api
              containers: [{ name: api, image: "ghcr.io/example/api:1" }]
              volumes:
                - name: token
                  projected:
                    sources:
                      - serviceAccountToken:
                          path: token
                          expirationSeconds: 600
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-05', severity: 'medium' });
    expect(at(findings[0])).toBe('13:17');
  });

  it('checks the volumes of a Tekton Task', async () => {
    const findings = await runRule(k8s05, {
      'task.yaml': `
        apiVersion: tekton.dev/v1
        kind: Task
        metadata: { name: deploy, namespace: tekton-pipelines }
        spec:
          steps:
            - name: login
              image: hashicorp/vault:1.15
              script: vault write auth/kubernetes-prod/login role=tekton-deploy jwt=@/var/run/secrets/vault/token
          volumes:
            - name: vault-token
              projected:
                sources:
                  - serviceAccountToken: { path: token, expirationSeconds: 600 }
      `,
    });
    expect(findings.map(at)).toEqual(['13:13']);
  });

  it('accepts a token bound to the vault audience', async () => {
    expect(await runRule(k8s05, { 'api.yaml': COMPLIANT_API })).toEqual([]);
  });
});

describe('K8S-06 projected token lifetime', () => {
  const withToken = (token: string, mountPath = '/var/run/secrets/tokens'): string => `
    apiVersion: v1
    kind: Pod
    metadata: { name: controller, namespace: operators }
    spec:
      serviceAccountName: controller
      containers:
        - name: manager
          image: ghcr.io/example/manager:1
          volumeMounts: [{ name: token, mountPath: ${mountPath}, readOnly: true }]
      volumes:
        - name: token
          projected:
            sources:
              - serviceAccountToken: ${token}
  `;

  it('flags a token living longer than an hour, at expirationSeconds, as high', async () => {
    const findings = await runRule(k8s06, {
      'pod.yaml': withToken(
        '{ path: token, audience: kubernetes.default.svc, expirationSeconds: 86400 }',
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-06', severity: 'high' });
    expect(at(findings[0])).toBe('14:83');
    expect(findings[0]?.message).toContain('24h');
  });

  it('reports a Vault-audience token above ten minutes as low', async () => {
    const findings = await runRule(k8s06, {
      'pod.yaml': withToken('{ path: token, audience: vault, expirationSeconds: 3600 }'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'low' });
    expect(at(findings[0])).toBe('14:66');
  });

  it('treats a token mounted under a Vault directory as a Vault token, default lifetime included', async () => {
    const findings = await runRule(k8s06, {
      'pod.yaml': withToken('{ path: token, audience: sts.example.com }', '/var/run/secrets/vault'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('(the default)');
    expect(at(findings[0])).toBe('14:13');
  });

  it('accepts the RFC controller token (3600 s, API audience) and the Vault token (600 s)', async () => {
    const controller = await runRule(k8s06, {
      'pod.yaml': withToken(
        '{ path: token, audience: kubernetes.default.svc, expirationSeconds: 3600 }',
      ),
    });
    expect(controller).toEqual([]);
    expect(await runRule(k8s06, { 'api.yaml': COMPLIANT_API })).toEqual([]);
  });
});
