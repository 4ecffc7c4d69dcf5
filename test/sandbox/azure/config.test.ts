import { describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import { evaluateAzureCredentials } from '../../../src/core/policy/index.ts';
import { defaultAzureConfig, parseAzureConfig } from '../../../src/sandbox/azure/config.ts';

const issuer = 'http://127.0.0.1:4100';
const tenant = { id: 'c0ffee00-0000-4000-8000-000000000001', name: 'wif-sandbox.onmicrosoft.com' };

function app(
  credential: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    clientId: 'c0ffee00-0000-4000-8000-0000000000a1',
    name: 'deploy',
    federatedCredentials: [credential],
    ...extra,
  };
}

function usageMessage(section: unknown): string {
  try {
    parseAzureConfig(section, issuer);
  } catch (error) {
    if (isWifError(error) && error.code === 'usage') return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('Entra ID emulator config', () => {
  it('defaults to one tenant whose app trusts the sandbox default GitHub job on main', () => {
    const config = parseAzureConfig(undefined, issuer);
    expect(config).toEqual(defaultAzureConfig(issuer));
    const credentials = config.apps[0]!.federatedCredentials;
    const decision = evaluateAzureCredentials(credentials, {
      iss: issuer,
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
    });
    expect(decision.accepted).toBe(true);
  });

  it('reads a classic credential in the Graph shape, defaulting the issuer to the sandbox issuer', () => {
    const config = parseAzureConfig(
      { tenants: [tenant], apps: [app({ name: 'main', subject: 'repo:o/r:ref:refs/heads/main' })] },
      issuer,
    );
    expect(config.apps[0]).toMatchObject({
      tenantId: tenant.id,
      objectId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      federatedCredentials: [
        {
          name: 'main',
          issuer,
          subject: 'repo:o/r:ref:refs/heads/main',
          audiences: ['api://AzureADTokenExchange'],
        },
      ],
    });
  });

  it('reads a flexible credential through the policy engine parser', () => {
    const config = parseAzureConfig(
      {
        tenants: [tenant],
        apps: [
          app({
            name: 'envs',
            issuer: 'https://token.actions.githubusercontent.com',
            subject: null,
            claimsMatchingExpression: {
              value: "claims['sub'] matches 'repo:o/r:environment:*'",
              languageVersion: 1,
            },
            audiences: ['api://AzureADTokenExchange'],
          }),
        ],
      },
      issuer,
    );
    expect(config.apps[0]!.federatedCredentials[0]!.expression?.terms).toEqual([
      { claim: 'sub', operator: 'matches', value: 'repo:o/r:environment:*' },
    ]);
  });

  it('treats an empty section (YAML `azure:` with nothing under it) as the default', () => {
    expect(parseAzureConfig(null, issuer)).toEqual(defaultAzureConfig(issuer));
  });

  it('accepts the id that az ad app federated-credential show prints', () => {
    const config = parseAzureConfig(
      {
        tenants: [tenant],
        apps: [app({ id: '3f1e0000-0000-4000-8000-000000000000', name: 'a', subject: 's' })],
      },
      issuer,
    );
    expect(config.apps[0]!.federatedCredentials[0]!.name).toBe('a');
  });

  const refusals: readonly [string, unknown, string][] = [
    [
      'an unknown key',
      { tenants: [tenant], apps: [app({ name: 'a', subject: 's' }, { secret: 'x' })] },
      'azure.apps[0] has an unknown key "secret"',
    ],
    ['a section that is not an object', [], 'azure must be an object'],
    ['no tenants', { tenants: [] }, 'azure.tenants must list at least one tenant'],
    [
      'a tenant ID that is not a GUID',
      { tenants: [{ id: 'contoso', name: 'x' }] },
      'azure.tenants[0].id must be a GUID',
    ],
    [
      'an app in an unknown tenant',
      {
        tenants: [tenant],
        apps: [
          app({ name: 'a', subject: 's' }, { tenantId: '00000000-0000-4000-8000-000000000000' }),
        ],
      },
      'azure.apps[0].tenantId "00000000-0000-4000-8000-000000000000" is not one of azure.tenants',
    ],
    [
      'an app without tenantId when several tenants exist',
      {
        tenants: [
          tenant,
          { id: '0b0e0000-0000-4000-8000-000000000002', name: 'contoso.onmicrosoft.com' },
        ],
        apps: [app({ name: 'a', subject: 's' })],
      },
      'azure.apps[0].tenantId is required when more than one tenant is configured',
    ],
    [
      'a credential with both subject and expression',
      {
        tenants: [tenant],
        apps: [
          app({
            name: 'a',
            subject: 's',
            claimsMatchingExpression: { value: "claims['sub'] eq 's'", languageVersion: 1 },
          }),
        ],
      },
      'azure.apps[0].federatedCredentials[0] must have exactly one of "subject" and "claimsMatchingExpression"',
    ],
    [
      'a credential with two audiences',
      { tenants: [tenant], apps: [app({ name: 'a', subject: 's', audiences: ['a', 'b'] })] },
      'audiences must hold exactly one value',
    ],
    [
      'an expression the engine cannot parse',
      {
        tenants: [tenant],
        apps: [
          app({
            name: 'a',
            claimsMatchingExpression: { value: "claims['sub'] like 'x'", languageVersion: 1 },
          }),
        ],
      },
      'cannot parse claimsMatchingExpression',
    ],
    [
      'an expression language version Entra does not define',
      {
        tenants: [tenant],
        apps: [
          app({
            name: 'a',
            claimsMatchingExpression: { value: "claims['sub'] eq 'x'", languageVersion: 2 },
          }),
        ],
      },
      'languageVersion must be 1',
    ],
    [
      'two credentials with one name',
      {
        tenants: [tenant],
        apps: [
          {
            ...app({ name: 'a', subject: 's' }),
            federatedCredentials: [
              { name: 'a', subject: 's' },
              { name: 'a', subject: 't' },
            ],
          },
        ],
      },
      'azure.apps[0].federatedCredentials has two entries with name "a"',
    ],
  ];

  for (const [name, section, message] of refusals) {
    it(`refuses ${name} with one line naming the field`, () => {
      const text = usageMessage(section);
      expect(text).toContain(message);
      expect(text).not.toContain('\n');
    });
  }
});
