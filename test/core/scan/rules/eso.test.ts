import { describe, expect, it } from 'vitest';
import { rule as eso01 } from '../../../../src/core/scan/rules/eso-01-refresh-interval.ts';
import { rule as eso02 } from '../../../../src/core/scan/rules/eso-02-vault-store-static-auth.ts';
import { rule as eso03 } from '../../../../src/core/scan/rules/eso-03-argocd-repo-secret-literal.ts';
import { rule as eso04 } from '../../../../src/core/scan/rules/eso-04-argocd-cluster-bearer-token.ts';
import { rule as eso05 } from '../../../../src/core/scan/rules/eso-05-argocd-https-token.ts';
import { rule as eso06 } from '../../../../src/core/scan/rules/eso-06-shared-vault-path.ts';
import { rule as eso07 } from '../../../../src/core/scan/rules/eso-07-flux-secret-in-git.ts';
import { rule as eso08 } from '../../../../src/core/scan/rules/eso-08-cloud-store-static-key.ts';
import { at, runRule } from './support/run-rule.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** The RFC §7.2.2 repo-creds ExternalSecret, with a configurable interval and key. */
const externalSecret = (
  name: string,
  type: string,
  key: string,
  refresh = '1h',
  namespace = 'argocd',
): string => `
  apiVersion: external-secrets.io/v1beta1
  kind: ExternalSecret
  metadata: { name: ${name}, namespace: ${namespace} }
  spec:
    refreshInterval: ${refresh}
    secretStoreRef: { name: vault, kind: ClusterSecretStore }
    target:
      name: ${name}
      template:
        metadata:
          labels:
            argocd.argoproj.io/secret-type: ${type}
    data:
      - secretKey: sshPrivateKey
        remoteRef:
          key: ${key}
          property: private_key
`;

describe('ESO-01 ExternalSecret refresh interval', () => {
  it('flags an interval above 24h at refreshInterval', async () => {
    const findings = await runRule(eso01, {
      'es.yaml': externalSecret(
        'repo',
        'repo-creds',
        'secret/platform/argocd/github-deploy-key',
        '168h',
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-01', severity: 'medium' });
    expect(at(findings[0])).toBe('5:3');
    expect(findings[0]?.message).toContain('168h');
  });

  it('flags refreshInterval: 0, which turns refresh off', async () => {
    const findings = await runRule(eso01, {
      'es.yaml': externalSecret(
        'repo',
        'repo-creds',
        'secret/platform/argocd/github-deploy-key',
        '"0"',
      ),
    });
    expect(findings[0]?.message).toContain('turns refresh off');
  });

  it('accepts the RFC hourly refresh and the ESO default', async () => {
    const hourly = externalSecret('repo', 'repo-creds', 'secret/platform/argocd/github-deploy-key');
    const unset = hourly.replace('    refreshInterval: 1h\n', '');
    expect(await runRule(eso01, { 'a.yaml': hourly, 'b.yaml': unset })).toEqual([]);
  });
});

describe('ESO-02 Vault secret store with a static secret', () => {
  const store = (auth: string): string => `
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
            ${auth}
  `;

  it('flags tokenSecretRef at its key', async () => {
    const findings = await runRule(eso02, {
      'store.yaml': store('tokenSecretRef: { name: vault-token, key: token }'),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-02', severity: 'high' });
    expect(at(findings[0])).toBe('11:9');
  });

  it('flags AppRole', async () => {
    const findings = await runRule(eso02, {
      'store.yaml': store(
        'appRole: { path: approle, roleId: 6b1e-example, secretRef: { name: approle, key: secret-id } }',
      ),
    });
    expect(findings[0]?.message).toContain('AppRole');
  });

  it('flags a JWT read from a Secret', async () => {
    const findings = await runRule(eso02, {
      'store.yaml': store(
        'jwt: { path: jwt, role: eso, secretRef: { name: eso-jwt, key: token } }',
      ),
    });
    expect(findings.map(at)).toEqual(['11:38']);
    expect(findings[0]?.message).toContain('auth.jwt.secretRef');
  });

  it('accepts Kubernetes auth', async () => {
    const findings = await runRule(eso02, {
      'store.yaml': store('kubernetes: { mountPath: kubernetes-prod, role: external-secrets }'),
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-03 Argo CD repository credential committed', () => {
  it('flags a literal SSH key in a repository Secret', async () => {
    const findings = await runRule(eso03, {
      'repo.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: private-repo
          namespace: argocd
          labels:
            argocd.argoproj.io/secret-type: repository
        stringData:
          type: git
          url: git@github.com:acme/platform-config.git
          sshPrivateKey: |
            -----BEGIN OPENSSH PRIVATE KEY-----
            b3BlbnNzaC1rZXktdjEAAAAAfixturefixturefixture
            -----END OPENSSH PRIVATE KEY-----
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-03', severity: 'critical' });
    expect(at(findings[0])).toBe('11:3');
  });

  it('accepts a repository Secret written by ESO', async () => {
    const findings = await runRule(eso03, {
      'repo.yaml': `
        apiVersion: v1
        kind: Secret
        metadata:
          name: private-repo
          namespace: argocd
          labels:
            argocd.argoproj.io/secret-type: repository
            reconcile.external-secrets.io/managed: "true"
        data:
          sshPrivateKey: ${b64('-----BEGIN OPENSSH PRIVATE KEY-----')}
      `,
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-04 Argo CD cluster credential committed', () => {
  const cluster = (config: string): string => `
    apiVersion: v1
    kind: Secret
    metadata:
      name: cluster-staging
      namespace: argocd
      labels:
        argocd.argoproj.io/secret-type: cluster
    type: Opaque
    stringData:
      name: staging
      server: https://staging.k8s.example.com:6443
      config: '${config}'
  `;

  it('flags a literal bearerToken in config', async () => {
    const findings = await runRule(eso04, {
      'cluster.yaml': cluster(
        '{"bearerToken": "eyJhbGciOiJSUzI1NiJ9.fixture.signature", "tlsClientConfig": {"caData": "LS0tLS1CRUdJTg=="}}',
      ),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-04', severity: 'critical' });
    expect(at(findings[0])).toBe('12:3');
  });

  it('accepts a config that authenticates through an exec provider', async () => {
    const findings = await runRule(eso04, {
      'cluster.yaml': cluster(
        '{"awsAuthConfig": {"clusterName": "staging", "roleARN": "arn:aws:iam::111122223333:role/argocd-staging"}, "tlsClientConfig": {"caData": "LS0tLS1CRUdJTg=="}}',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-05 Argo CD repository with an HTTPS token', () => {
  const httpsRepo = (extra: string): string => `
    apiVersion: external-secrets.io/v1beta1
    kind: ExternalSecret
    metadata: { name: repo-https, namespace: argocd }
    spec:
      refreshInterval: 1h
      secretStoreRef: { name: vault, kind: ClusterSecretStore }
      target:
        template:
          metadata:
            labels:
              argocd.argoproj.io/secret-type: repo-creds
          data:
            url: https://github.com/acme
            username: x-access-token
            password: "{{ .token }}"${extra}
      data:
        - secretKey: token
          remoteRef: { key: secret/platform/argocd/github-pat, property: token }
  `;

  it('flags a repo-creds template built from username and password over HTTPS', async () => {
    const findings = await runRule(eso05, { 'es.yaml': httpsRepo('') });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-05', severity: 'medium' });
    expect(at(findings[0])).toBe('15:9');
  });

  it('accepts a GitHub App credential', async () => {
    const findings = await runRule(eso05, {
      'es.yaml': httpsRepo(
        '\n          githubAppID: "123456"\n          githubAppPrivateKey: "{{ .key }}"',
      ).replace('            password: "{{ .token }}"', ''),
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-06 one Vault path for several purposes', () => {
  it('flags a path read for both repository and cluster credentials, in each ExternalSecret', async () => {
    const findings = await runRule(eso06, {
      'repo.yaml': externalSecret('repo', 'repo-creds', 'secret/platform/argocd/shared'),
      'cluster.yaml': externalSecret('cluster-prod', 'cluster', 'secret/platform/argocd/shared'),
    });
    expect(
      findings.map((finding) => [finding.rule, finding.severity, finding.file, at(finding)]),
    ).toEqual([
      ['ESO-06', 'low', 'repo.yaml', '16:9'],
      ['ESO-06', 'low', 'cluster.yaml', '16:9'],
    ]);
  });

  it('flags one path feeding two clusters', async () => {
    const findings = await runRule(eso06, {
      'staging.yaml': externalSecret('cluster-staging', 'cluster', 'secret/platform/clusters/prod'),
      'prod.yaml': externalSecret('cluster-prod', 'cluster', 'secret/platform/clusters/prod'),
    });
    expect(findings).toHaveLength(2);
    expect(findings[0]?.message).toContain(
      'cluster `cluster-staging` and of cluster `cluster-prod`',
    );
  });

  it('accepts the RFC layout of separate paths', async () => {
    const findings = await runRule(eso06, {
      'repo.yaml': externalSecret('repo', 'repo-creds', 'secret/platform/argocd/github-deploy-key'),
      'staging.yaml': externalSecret(
        'cluster-staging',
        'cluster',
        'secret/platform/clusters/staging',
      ),
      'prod.yaml': externalSecret('cluster-prod', 'cluster', 'secret/platform/clusters/prod'),
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-07 Flux credential Secret committed', () => {
  const gitRepository = `
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: GitRepository
    metadata: { name: platform, namespace: flux-system }
    spec:
      interval: 1m
      url: ssh://git@github.com/acme/platform-config
      ref: { branch: main }
      secretRef:
        name: github-deploy-key
  `;

  it('flags a secretRef naming a Secret committed in the repository, at the name', async () => {
    const findings = await runRule(eso07, {
      'source.yaml': gitRepository,
      'secret.yaml': `
        apiVersion: v1
        kind: Secret
        metadata: { name: github-deploy-key, namespace: flux-system }
        stringData:
          identity: "-----BEGIN OPENSSH PRIVATE KEY-----"
          known_hosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-07', severity: 'high', file: 'source.yaml' });
    expect(at(findings[0])).toBe('9:5');
  });

  it('accepts a Secret produced by ESO (the ExternalSecret, not the Secret, is in Git)', async () => {
    const findings = await runRule(eso07, {
      'source.yaml': gitRepository,
      'es.yaml': externalSecret(
        'github-deploy-key',
        'repository',
        'secret/platform/flux/github-deploy-key',
        '1h',
        'flux-system',
      ),
    });
    expect(findings).toEqual([]);
  });
});

describe('ESO-08 secret store with a static cloud key', () => {
  it('flags AWS Secrets Manager authenticated with access keys', async () => {
    const findings = await runRule(eso08, {
      'store.yaml': `
        apiVersion: external-secrets.io/v1beta1
        kind: SecretStore
        metadata: { name: aws, namespace: payments }
        spec:
          provider:
            aws:
              service: SecretsManager
              region: eu-west-1
              auth:
                secretRef:
                  accessKeyIDSecretRef: { name: aws-keys, key: access-key-id }
                  secretAccessKeySecretRef: { name: aws-keys, key: secret-access-key }
      `,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'ESO-08', severity: 'high' });
    expect(at(findings[0])).toBe('10:9');
  });

  it('accepts AWS authenticated through IRSA', async () => {
    const findings = await runRule(eso08, {
      'store.yaml': `
        apiVersion: external-secrets.io/v1beta1
        kind: SecretStore
        metadata: { name: aws, namespace: payments }
        spec:
          provider:
            aws:
              service: SecretsManager
              region: eu-west-1
              auth:
                jwt:
                  serviceAccountRef: { name: payments-secrets }
      `,
    });
    expect(findings).toEqual([]);
  });
});
