import { describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import {
  detectTrustConfig,
  explainTrust,
  renderExplanationMarkdown,
  renderExplanationText,
} from '../../../src/core/policy/index.ts';

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: {
        Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:sub': 'repo:org/app:ref:refs/heads/main',
        },
      },
    },
  ],
};
const provider = {
  name: 'projects/123/locations/global/workloadIdentityPools/ci/providers/github',
  state: 'ACTIVE',
  oidc: { issuerUri: 'https://token.actions.githubusercontent.com' },
  attributeMapping: {
    'google.subject': 'assertion.sub',
    'attribute.repository': 'assertion.repository',
  },
  attributeCondition: "assertion.repository == 'org/app'",
};

describe('trust configuration detection', () => {
  it.each([
    [
      'aws get-role with an object document',
      { Role: { RoleName: 'ci', AssumeRolePolicyDocument: trustPolicy } },
      'aws',
    ],
    [
      'aws get-role with a URL-encoded document',
      {
        Role: {
          RoleName: 'ci',
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustPolicy)),
        },
      },
      'aws',
    ],
    ['a bare trust policy', trustPolicy, 'aws'],
    ['a GCP provider describe', provider, 'gcp'],
    [
      'a GCP service-account IAM policy',
      { bindings: [{ role: 'roles/iam.workloadIdentityUser', members: [] }], etag: 'x' },
      'gcp-iam-policy',
    ],
    [
      'an Azure federated credential',
      { name: 'd', issuer: 'https://x', subject: 's', audiences: ['api://AzureADTokenExchange'] },
      'azure',
    ],
    [
      'an Azure flexible credential list',
      [
        {
          name: 'f',
          issuer: 'https://x',
          subject: null,
          claimsMatchingExpression: { value: "claims['sub'] eq 's'", languageVersion: 1 },
        },
      ],
      'azure',
    ],
    [
      'a Vault role read',
      { data: { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['a'] } },
      'vault',
    ],
    [
      'a Vault mount config read',
      { data: { bound_issuer: 'https://x', oidc_discovery_url: 'https://x' } },
      'vault-config',
    ],
  ])('recognises %s', (_name, document, kind) => {
    expect(detectTrustConfig(document, 'f.json').kind).toBe(kind);
  });

  it('keeps the role name from get-role output', () => {
    const config = detectTrustConfig(
      { Role: { RoleName: 'ci-deploy', AssumeRolePolicyDocument: trustPolicy } },
      'role.json',
    );
    expect(config.kind === 'aws' && config.roleName).toBe('ci-deploy');
  });

  it('refuses an unrecognised document with one usage line', () => {
    let caught: unknown;
    try {
      detectTrustConfig({ hello: 'world' }, 'odd.json');
    } catch (error) {
      caught = error;
    }
    expect(isWifError(caught) && caught.code).toBe('usage');
    expect((caught as Error).message).toBe('odd.json is not a trust configuration wif recognises.');
  });
});

describe('explaining several configurations at once', () => {
  const claims = {
    iss: 'https://token.actions.githubusercontent.com',
    aud: 'https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github',
    sub: 'repo:org/app:ref:refs/heads/main',
    repository: 'org/app',
  };

  it('checks the service-account binding with the subject and attributes the provider mapped', () => {
    const results = explainTrust(
      claims,
      [
        detectTrustConfig(provider, 'provider.json'),
        detectTrustConfig(
          {
            bindings: [
              {
                role: 'roles/iam.workloadIdentityUser',
                members: [
                  'principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/attribute.repository/org/app',
                ],
              },
            ],
          },
          'sa-policy.json',
        ),
      ],
      { now: 0 },
    );
    expect(results.map((r) => [r.label, r.decision.accepted])).toEqual([
      ['GCP provider github', true],
      ['GCP service-account binding', true],
    ]);
  });

  it('renders Markdown whose table cells never break on a pipe', () => {
    const results = explainTrust(
      { ...claims, aud: ['a', 'b'] },
      [
        detectTrustConfig(
          { data: { role_type: 'jwt', user_claim: 'sub', bound_audiences: ['x', 'y'] } },
          'role.json',
        ),
      ],
      { now: 0 },
    );
    const markdown = renderExplanationMarkdown(results);
    expect(markdown).toContain('### Vault role: ❌ denied');
    const row = markdown.split('\n').find((line) => line.includes('bound_audiences'));
    expect(row?.split(/(?<!\\)\|/)).toHaveLength(8);
    expect(renderExplanationText(results)).toContain('✗ aud bound_audiences x | y (actual: a | b)');
  });
});
