import { describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import { defaultGcpConfig, parseGcpConfig } from '../../../src/sandbox/gcp/config.ts';
import { gcpEnvironment } from '../../../src/sandbox/gcp/index.ts';

const ISSUER = 'http://127.0.0.1:4100';

function problem(raw: unknown): string {
  try {
    parseGcpConfig(raw, ISSUER);
  } catch (error) {
    if (isWifError(error) && error.code === 'usage') return error.oneLine();
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const provider = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'github',
  attributeMapping: { 'google.subject': 'assertion.sub' },
  ...extra,
});

describe('GCP emulator config', () => {
  it('defaults to a provider trusting the sandbox issuer and only octo-org/octo-repo', () => {
    const config = parseGcpConfig(undefined, ISSUER);
    expect(config).toEqual(defaultGcpConfig(ISSUER));
    const github = config.pools[0]?.providers[0];
    expect(github?.oidc.issuerUri).toBe(ISSUER);
    expect(github?.attributeCondition).toBe("attribute.repository == 'octo-org/octo-repo'");
    expect(config.serviceAccounts[0]?.iamPolicy.bindings[0]?.members[0]).toMatch(
      /^principalSet:\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/ci-pool\/attribute\.repository\/octo-org\/octo-repo$/,
    );
  });

  it('keeps the defaults for top-level fields a section leaves out', () => {
    const config = parseGcpConfig({ projectId: 'my-sandbox' }, ISSUER);
    expect(config.projectId).toBe('my-sandbox');
    expect(config.pools).toEqual(defaultGcpConfig(ISSUER).pools);
  });

  it('fills a provider without issuerUri with the sandbox issuer', () => {
    const config = parseGcpConfig({ pools: [{ id: 'ci-pool', providers: [provider()] }] }, ISSUER);
    expect(config.pools[0]?.providers[0]?.oidc).toEqual({
      issuerUri: ISSUER,
      allowedAudiences: [],
    });
  });

  it('exports the endpoint overrides google-github-actions/auth honours', () => {
    const env = gcpEnvironment('http://127.0.0.1:5000', defaultGcpConfig(ISSUER));
    expect(env).toMatchObject({
      GHA_ENDPOINT_OVERRIDE_sts: 'http://127.0.0.1:5000/v1',
      GHA_ENDPOINT_OVERRIDE_iamcredentials: 'http://127.0.0.1:5000/v1',
      WIF_GCP_STS_URL: 'http://127.0.0.1:5000/v1/token',
      WIF_GCP_IAMCREDENTIALS_URL: 'http://127.0.0.1:5000/v1',
      WIF_GCP_TOKENINFO_URL: 'http://127.0.0.1:5000/oauth2/v3/tokeninfo',
      WIF_GCP_WORKLOAD_IDENTITY_PROVIDER:
        'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github',
      WIF_GCP_SERVICE_ACCOUNT: 'deployer@wif-sandbox.iam.gserviceaccount.com',
    });
  });

  it.each([
    ['a project number with letters', { projectNumber: 'my-project' }, 'gcp.projectNumber'],
    [
      'a pool ID shorter than 4 characters',
      { pools: [{ id: 'ci', providers: [] }] },
      'gcp.pools[0].id',
    ],
    [
      'a provider without google.subject',
      {
        pools: [
          {
            id: 'ci-pool',
            providers: [
              provider({ attributeMapping: { 'attribute.repo': 'assertion.repository' } }),
            ],
          },
        ],
      },
      'google.subject is not mapped',
    ],
    [
      'an attribute condition that is not CEL',
      {
        pools: [
          {
            id: 'ci-pool',
            providers: [provider({ attributeCondition: "attribute.repository == 'a" })],
          },
        ],
      },
      'attributeCondition is not valid CEL',
    ],
    [
      'an unknown field',
      { pools: [{ id: 'ci-pool', providers: [provider({ issuer: ISSUER })] }] },
      'gcp.pools[0].providers[0].issuer: is not a known field',
    ],
    [
      'a binding member that is not an IAM member',
      {
        serviceAccounts: [
          {
            email: 'a@p.iam.gserviceaccount.com',
            uniqueId: '1',
            iamPolicy: {
              bindings: [
                { role: 'roles/iam.workloadIdentityUser', members: ['repo:octo-org/octo-repo'] },
              ],
            },
          },
        ],
      },
      '"repo:octo-org/octo-repo" is not an IAM member',
    ],
    [
      'a token lifetime Google does not offer',
      {
        serviceAccounts: [
          { email: 'a@p.iam.gserviceaccount.com', uniqueId: '1', maxTokenLifetimeSeconds: 7200 },
        ],
      },
      'maxTokenLifetimeSeconds: 7200 is not a lifetime Google offers',
    ],
    [
      'two pools with one ID',
      { pools: [{ id: 'ci-pool' }, { id: 'ci-pool' }] },
      'pool id "ci-pool" appears twice',
    ],
  ])('refuses %s in one line that names the field', (_case, raw, expected) => {
    const line = problem(raw);
    expect(line).toContain(expected);
    expect(line).toMatch(/^Sandbox config gcp/);
    expect(line).not.toContain('\n');
  });
});
