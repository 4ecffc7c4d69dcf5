import { describe, expect, it } from 'vitest';
import { rule as k8s07 } from '../../../../src/core/scan/rules/k8s-07-static-credential-material.ts';
import { rule as k8s08 } from '../../../../src/core/scan/rules/k8s-08-static-credential-env.ts';
import { rule as k8s09 } from '../../../../src/core/scan/rules/k8s-09-break-glass-secret.ts';
import { rule as k8s23 } from '../../../../src/core/scan/rules/k8s-23-unmanaged-secret.ts';
import { at, runRule } from './support/run-rule.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** AWS's documentation example key pair: the right shape, never a live key. */
const AWS_CREDENTIALS_FILE = [
  '[default]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
].join('\n');

describe('K8S-07 static credential in a Secret or ConfigMap', () => {
  it('decodes Secret data before looking, and points at the key', async () => {
    const findings = await runRule(k8s07, {
      'secret.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: backup-uploader
          namespace: backups
        type: Opaque
        data:
          config: ${b64('region = eu-west-1')}
          credentials: ${b64(AWS_CREDENTIALS_FILE)}
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-07', severity: 'critical' });
    expect(at(findings[0])).toBe('9:3');
    expect(findings[0]?.message).toContain('(base64-decoded) holds an AWS access key id');
  });

  it('finds a GCP key file in stringData and a Vault token in a ConfigMap', async () => {
    const findings = await runRule(k8s07, {
      'gcp.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: exporter-gcp, namespace: metrics }
        stringData:
          key.json: '{"type": "service_account", "project_id": "demo", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIfake\\n-----END PRIVATE KEY-----\\n"}'
      `,
      'cm.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: app-settings, namespace: shop }
        data:
          LOG_LEVEL: info
          VAULT_TOKEN: hvs.CAESIJlWjTmSyntheticFixtureToken0123
      `,
    });
    expect(findings.map((finding) => `${finding.file} ${at(finding)}`)).toEqual([
      'gcp.yaml 5:3',
      'cm.yaml 6:3',
    ]);
    expect(findings[0]?.message).toContain('a PEM private key');
    expect(findings[1]?.message).toContain('a Vault token');
  });

  it('flags a kubeconfig carrying a client key', async () => {
    const findings = await runRule(k8s07, {
      'kubeconfig.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: staging-kubeconfig, namespace: flux-system }
        stringData:
          value: |
            apiVersion: v1
            kind: Config
            users:
              - name: deployer
                user:
                  client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t
      `,
    });
    expect(findings.map(at)).toEqual(['5:3']);
    expect(findings[0]?.message).toContain('kubeconfig');
  });

  it('exempts Secrets the External Secrets Operator owns', async () => {
    const findings = await runRule(k8s07, {
      'synced.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: db-credentials
          namespace: payments
          labels:
            reconcile.external-secrets.io/created-by: 3f1c9a
          ownerReferences:
            - apiVersion: external-secrets.io/v1beta1
              kind: ExternalSecret
              name: db-credentials
              uid: 6c1a3e8e-2c1b-4a55-9d1f-0d6f2b5a9e10
        data:
          password: ${b64('s3cr3t-from-vault')}
      `,
    });
    expect(findings).toEqual([]);
  });

  it('ignores ordinary configuration and placeholders', async () => {
    const findings = await runRule(k8s07, {
      'cm.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: api-config, namespace: payments }
        data:
          VAULT_ADDR: https://vault.vault.svc.cluster.local:8200
          password: "\${DB_PASSWORD}"
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-08 static credential in container environment', () => {
  it('flags a literal AWS secret key and a Vault token from a Secret, each at its value', async () => {
    const findings = await runRule(k8s08, {
      'deploy.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: uploader, namespace: media }
        spec:
          template:
            spec:
              serviceAccountName: uploader
              containers:
                - name: uploader
                  image: ghcr.io/example/uploader:2
                  env:
                    - name: AWS_REGION
                      value: eu-west-1
                    - name: AWS_SECRET_ACCESS_KEY
                      value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                    - name: VAULT_TOKEN
                      valueFrom:
                        secretKeyRef: { name: vault-token, key: token }
      `,
    });
    expect(findings.map((finding) => [finding.rule, finding.severity, at(finding)])).toEqual([
      ['K8S-08', 'high', '15:15'],
      ['K8S-08', 'high', '18:17'],
    ]);
    expect(findings[1]?.message).toContain('Secret `vault-token`');
  });

  it('flags GOOGLE_APPLICATION_CREDENTIALS pointing into a Secret volume', async () => {
    const findings = await runRule(k8s08, {
      'pod.yaml': `
        apiVersion: v1
        kind: Pod
        metadata: { name: exporter, namespace: metrics }
        spec:
          serviceAccountName: exporter
          containers:
            - name: exporter
              image: ghcr.io/example/exporter:1
              env:
                - { name: GOOGLE_APPLICATION_CREDENTIALS, value: /var/secrets/google/key.json }
              volumeMounts: [{ name: google-key, mountPath: /var/secrets/google }]
          volumes:
            - name: google-key
              secret: { secretName: exporter-gcp-key }
      `,
    });
    expect(findings.map(at)).toEqual(['10:51']);
  });

  it('accepts GOOGLE_APPLICATION_CREDENTIALS naming a workload-identity config from a ConfigMap', async () => {
    const findings = await runRule(k8s08, {
      'pod.yaml': `
        apiVersion: v1
        kind: Pod
        metadata: { name: exporter, namespace: metrics }
        spec:
          serviceAccountName: exporter
          containers:
            - name: exporter
              image: ghcr.io/example/exporter:1
              env:
                - { name: GOOGLE_APPLICATION_CREDENTIALS, value: /etc/workload-identity/credential-configuration.json }
                - { name: VAULT_ADDR, value: "https://vault.vault.svc.cluster.local:8200" }
              volumeMounts: [{ name: wif-config, mountPath: /etc/workload-identity }]
          volumes:
            - name: wif-config
              configMap: { name: exporter-wif }
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-08: GOOGLE_APPLICATION_CREDENTIALS in a projected volume', () => {
  const pod = (file: string, sources: string): string => `
    apiVersion: v1
    kind: Pod
    metadata: { name: exporter, namespace: metrics }
    spec:
      containers:
        - name: exporter
          image: ghcr.io/example/exporter:1
          env: [{ name: GOOGLE_APPLICATION_CREDENTIALS, value: ${file} }]
          volumeMounts: [{ name: creds, mountPath: /var/run/creds }]
      volumes:
        - name: creds
          projected:
            sources: ${sources}
  `;
  it.each([
    [
      'a Secret projecting all its keys',
      '/var/run/creds/key.json',
      '[{ secret: { name: gcp-key } }]',
      true,
    ],
    [
      'a Secret item by path',
      '/var/run/creds/sa/key.json',
      '[{ secret: { name: gcp-key, items: [{ key: k, path: sa/key.json }] } }, { configMap: { name: other } }]',
      true,
    ],
    [
      'the ConfigMap item beside a projected token (workload identity)',
      '/var/run/creds/credential-configuration.json',
      '[{ serviceAccountToken: { path: token, audience: gcp, expirationSeconds: 3600 } }, { configMap: { name: wif, items: [{ key: config, path: credential-configuration.json }] } }, { secret: { name: ca, items: [{ key: ca, path: ca.crt }] } }]',
      false,
    ],
    [
      'a file either a ConfigMap or a Secret could hold',
      '/var/run/creds/config.json',
      '[{ configMap: { name: wif } }, { secret: { name: other } }]',
      false,
    ],
  ])('%s: flagged %s', async (_what, file, sources, flagged) => {
    const findings = await runRule(k8s08, { 'pod.yaml': pod(file, sources) });
    expect(findings.length > 0).toBe(flagged);
  });
});

describe('K8S-09 break-glass credential committed', () => {
  it('flags a Secret named break-glass at its name', async () => {
    const findings = await runRule(k8s09, {
      'bg.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: break-glass-kubeconfig
          namespace: kube-system
          annotations:
            description: Emergency access when Argo CD is unavailable
        type: Opaque
        data:
          kubeconfig: ${b64('apiVersion: v1\nkind: Config\n')}
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-09', severity: 'critical' });
    expect(at(findings[0])).toBe('4:3');
  });

  it('flags a kubeconfig key in a kube-system Secret at the key', async () => {
    const findings = await runRule(k8s09, {
      'admin.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: cluster-admin-access, namespace: kube-system }
        stringData:
          kubeconfig: |
            apiVersion: v1
            kind: Config
      `,
    });
    expect(findings.map(at)).toEqual(['5:3']);
  });

  it('accepts a kubeconfig Secret outside kube-system without break-glass marks', async () => {
    const findings = await runRule(k8s09, {
      'staging.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: staging-kubeconfig, namespace: flux-system }
        stringData:
          value: "apiVersion: v1"
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('K8S-23 Secret committed outside ESO', () => {
  it('flags a Secret with data that ESO does not manage, at its data key', async () => {
    const findings = await runRule(k8s23, {
      'secret.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: webhook-signing, namespace: shop }
        type: Opaque
        data:
          signing-secret: ${b64('4f9d2c0e7b1a')}
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'K8S-23', severity: 'medium' });
    expect(at(findings[0])).toBe('5:1');
    expect(findings[0]?.message).toContain('key `signing-secret`');
  });

  it('leaves recognised credentials to K8S-07 and ESO-managed Secrets alone', async () => {
    const findings = await runRule(k8s23, {
      'aws.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: backup-uploader, namespace: backups }
        data:
          credentials: ${b64(AWS_CREDENTIALS_FILE)}
      `,
      'synced.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: webhook-signing
          namespace: shop
          annotations:
            reconcile.external-secrets.io/data-hash: 9b2f0c1d
        data:
          signing-secret: ${b64('4f9d2c0e7b1a')}
      `,
    });
    expect(findings).toEqual([]);
  });
});
