import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/scan/classify.ts';
import { loadSources } from '../../../src/core/scan/loader/index.ts';
import { withFiles } from './support/scan-files.ts';

const k8s = (apiVersion: string, kind: string, extra = {}) => ({
  apiVersion,
  kind,
  metadata: { name: 'x', namespace: 'ns' },
  ...extra,
});

describe('classifier', () => {
  it.each([
    ['apps/v1', 'Deployment', 'workload'],
    ['batch/v1', 'CronJob', 'workload'],
    ['v1', 'ServiceAccount', 'service-account'],
    ['v1', 'Secret', 'secret'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'rbac'],
    ['v1', 'Namespace', 'namespace'],
    ['external-secrets.io/v1beta1', 'ExternalSecret', 'external-secrets'],
    ['policy.linkerd.io/v1beta1', 'ServerAuthorization', 'linkerd'],
    ['security.istio.io/v1', 'AuthorizationPolicy', 'istio'],
    ['argoproj.io/v1alpha1', 'Application', 'argocd'],
    ['source.toolkit.fluxcd.io/v1', 'GitRepository', 'flux'],
    ['tekton.dev/v1', 'PipelineRun', 'tekton'],
    ['spire.spiffe.io/v1alpha1', 'ClusterSPIFFEID', 'spire'],
    ['spire.spiffe.io/v1alpha1', 'ClusterStaticEntry', 'spire'],
    ['kargo.akuity.io/v1alpha1', 'Project', 'kargo'],
    ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'gateway'],
    ['example.com/v1', 'Secret', 'other'],
  ])('classifies %s %s as the %s family', (apiVersion, kind, family) => {
    expect(classify('k8s/x.yaml', 'yaml', k8s(apiVersion, kind))).toEqual({
      kind: 'k8s',
      apiVersion,
      k8sKind: kind,
      family,
      name: 'x',
      namespace: 'ns',
    });
  });

  it('recognises CI files by location and shape', () => {
    expect(classify('.github/workflows/ci.yml', 'yaml', { on: 'push', jobs: {} }).kind).toBe(
      'github-workflow',
    );
    expect(
      classify('actions/scan/action.yml', 'yaml', { name: 'x', runs: { using: 'node24' } }).kind,
    ).toBe('github-action');
    expect(classify('.gitlab-ci.yml', 'yaml', { stages: ['test'] }).kind).toBe('gitlab-ci');
    expect(classify('ci/deploy.yml', 'yaml', { deploy: { script: ['make'] } }).kind).toBe(
      'gitlab-ci',
    );
    expect(classify('templates/oidc.yml', 'yaml', { spec: { inputs: { aud: {} } } }).kind).toBe(
      'gitlab-ci',
    );
  });

  it('recognises AWS IAM, Vault and SPIRE JSON', () => {
    expect(classify('trust.json', 'json', { Version: '2012-10-17', Statement: [] }).kind).toBe(
      'aws-iam-policy',
    );
    expect(
      classify('role.json', 'json', {
        Role: { Arn: 'arn:aws:iam::1:role/x', AssumeRolePolicyDocument: {} },
      }).kind,
    ).toBe('aws-iam-policy');
    expect(
      classify('role.json', 'json', { bound_service_account_names: ['api'], policies: ['p'] }).kind,
    ).toBe('vault-role');
    expect(classify('role.json', 'json', { data: { bound_audiences: ['vault'] } }).kind).toBe(
      'vault-role',
    );
    expect(
      classify('entries.json', 'json', {
        entries: [{ spiffe_id: { trust_domain: 'x', path: '/y' } }],
      }).kind,
    ).toBe('spire-entries');
  });

  it('recognises HCL files by content', () => {
    expect(classify('main.tf', 'hcl', {}).kind).toBe('terraform');
    expect(
      classify('p.hcl', 'hcl', { path: { 'secret/*': [{ capabilities: ['read'] }] } }).kind,
    ).toBe('vault-policy');
    expect(classify('server.conf', 'hcl', { server: [{}] })).toEqual({
      kind: 'spire-config',
      component: 'server',
    });
    expect(classify('agent.conf', 'hcl', { agent: [{}], plugins: [{}] })).toEqual({
      kind: 'spire-config',
      component: 'agent',
    });
    expect(classify('agent.hcl', 'hcl', { auto_auth: [{}] }).kind).toBe('vault-agent-config');
  });

  it('recognises values for the SPIRE Helm chart by its spire-server or global.spire block', () => {
    expect(classify('values.yaml', 'yaml', { 'spire-server': { caTTL: '24h' } }).kind).toBe(
      'spire-helm-values',
    );
    expect(classify('v.yaml', 'yaml', { global: { spire: { trustDomain: 'a.org' } } }).kind).toBe(
      'spire-helm-values',
    );
    expect(classify('values.yaml', 'yaml', { global: { image: 'x' } }).kind).toBe('unknown');
  });

  it('leaves anything else unknown', () => {
    expect(classify('values.yaml', 'yaml', { replicas: 1 }).kind).toBe('unknown');
    expect(classify('list.yaml', 'yaml', [1, 2]).kind).toBe('unknown');
    expect(classify('x.yaml', 'yaml', null).kind).toBe('unknown');
  });

  it('classifies real HCL parsed from disk: a Vault policy and a Terraform role', async () => {
    const result = await withFiles(
      {
        'vault/payments.hcl':
          'path "secret/data/ns/payments/*" {\n  capabilities = ["read", "list"]\n}\n',
        'infra/iam.tf':
          'resource "aws_iam_role" "ci" {\n  name = "ci"\n  assume_role_policy = "{}"\n}\n',
      },
      (root) => loadSources({ root, inputs: ['.'], include: [], exclude: [] }),
    );
    expect(result.documents.map((d) => `${d.file}=${d.classification.kind}`)).toEqual([
      'infra/iam.tf=terraform',
      'vault/payments.hcl=vault-policy',
    ]);
  });
});
