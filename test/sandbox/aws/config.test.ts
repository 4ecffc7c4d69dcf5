import { describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { defaultAwsStsConfig, readAwsStsConfig } from '../../../src/sandbox/aws/config.ts';
import { parseAwsAssumeRolePolicy } from '../../../src/core/policy/index.ts';
import { evaluateChaining } from '../../../src/sandbox/aws/role-chaining.ts';
import { parseRoleArn } from '../../../src/sandbox/aws/params.ts';
import { SessionStore } from '../../../src/sandbox/aws/sessions.ts';

/**
 * The `aws-sts` config section, validated with IAM's own limits (IAM User Guide, "Create an
 * OpenID Connect (OIDC) identity provider in IAM": up to 100 client IDs; IAM API reference,
 * "CreateRole": MaxSessionDuration 3600–43200).
 */
const issuer = 'http://127.0.0.1:4100';

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accounts: ['111122223333'],
    oidcProviders: [{ account: '111122223333', url: issuer, clientIds: ['sts.amazonaws.com'] }],
    roles: [
      {
        arn: 'arn:aws:iam::111122223333:role/ci',
        trustPolicy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: '*' },
              Action: 'sts:AssumeRoleWithWebIdentity',
            },
          ],
        },
      },
    ],
    ...overrides,
  };
}

function refusal(raw: unknown): string {
  try {
    readAwsStsConfig(raw, issuer);
  } catch (error) {
    if (error instanceof WifError && error.code === 'usage') return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('aws-sts config', () => {
  it('embeds a default that trusts the sandbox issuer, with ${issuer} and ${issuerHost} filled in', () => {
    const parsed = readAwsStsConfig(undefined, issuer);
    expect(parsed.region).toBe('us-east-1');
    expect(parsed.oidcProviders[0]).toMatchObject({
      url: issuer,
      clientIds: ['sts.amazonaws.com'],
    });
    expect(parsed.roles.map((r) => r.arn.name)).toEqual([
      'wif-sandbox-deploy',
      'wif-sandbox-readonly',
    ]);
    expect(JSON.stringify(parsed)).not.toContain('${');
    expect(defaultAwsStsConfig.roles[0].maxSessionDuration).toBe(3600);
  });

  it('defaults maxSessionDuration to one hour, as IAM does', () => {
    expect(readAwsStsConfig(config(), issuer).roles[0]?.maxSessionDuration).toBe(3600);
  });

  it.each([
    [{ accounts: ['12345'] }, 'aws-sts.accounts[0] must be a 12-digit account ID'],
    [{ accounts: [] }, 'aws-sts.accounts must list at least one account ID'],
    [{ region: 'mars' }, 'aws-sts.region must be a region name'],
    [{ colour: 'blue' }, 'aws-sts has unknown key "colour"'],
    [
      {
        oidcProviders: [{ account: '999999999999', url: issuer, clientIds: ['sts.amazonaws.com'] }],
      },
      'aws-sts.oidcProviders[0].account must be one of aws-sts.accounts',
    ],
    [
      {
        oidcProviders: [
          { account: '111122223333', url: 'token.actions.githubusercontent.com', clientIds: ['a'] },
        ],
      },
      'aws-sts.oidcProviders[0].url must be the issuer URL',
    ],
    [
      { oidcProviders: [{ account: '111122223333', url: issuer, clientIds: [] }] },
      'aws-sts.oidcProviders[0].clientIds must list 1 to 100 audiences',
    ],
    [
      { roles: [{ arn: 'arn:aws:iam::111122223333:user/ci', trustPolicy: {} }] },
      'aws-sts.roles[0].arn must look like',
    ],
    [
      {
        roles: [
          {
            arn: 'arn:aws:iam::111122223333:role/ci',
            trustPolicy: { Statement: [] },
            maxSessionDuration: 100,
          },
        ],
      },
      'aws-sts.roles[0].maxSessionDuration must be an integer from 3600 to 43200',
    ],
    [
      { roles: [{ arn: 'arn:aws:iam::111122223333:role/ci' }] },
      'aws-sts.roles[0].trustPolicy is required',
    ],
    [
      {
        roles: [
          {
            arn: 'arn:aws:iam::111122223333:role/ci',
            trustPolicy: { Statement: [{ Effect: 'Maybe' }] },
          },
        ],
      },
      'Effect',
    ],
  ])('refuses %j with one line naming the field', (overrides, message) => {
    const text = refusal(config(overrides));
    expect(text).toContain(message);
    expect(text).not.toContain('\n');
  });

  it('refuses ${issuer} when no sandbox issuer runs', () => {
    expect(() => readAwsStsConfig(undefined, undefined)).toThrow(
      /uses \$\{issuer\}, but no sandbox issuer is running/,
    );
  });

  const chainedRole = (condition: Record<string, unknown>): Record<string, unknown> =>
    config({
      roles: [
        {
          arn: 'arn:aws:iam::111122223333:role/ci',
          trustPolicy: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: '111122223333' },
                Action: 'sts:AssumeRole',
                Condition: condition,
              },
            ],
          },
        },
      ],
    });

  it('accepts an sts:ExternalId condition on an sts:AssumeRole statement, which the policy engine evaluates', () => {
    const loaded = readAwsStsConfig(
      chainedRole({ StringEquals: { 'sts:ExternalId': 'x' } }),
      issuer,
    );
    expect(loaded.roles[0]?.trustPolicy.statements[0]?.conditions).toHaveLength(1);
  });

  it('refuses, in one line, a condition key on sts:AssumeRole it cannot evaluate rather than ignore it', () => {
    const text = refusal(chainedRole({ IpAddress: {} }));
    expect(text).toContain('unknown condition operator IpAddress');
    const key = refusal(chainedRole({ StringEquals: { 'aws:SourceIdentity': 'x' } }));
    expect(key).toContain(
      'conditions sts:AssumeRole on aws:SourceIdentity, which wif cannot evaluate',
    );
    expect(key).not.toContain('\n');
  });
});

describe('role chaining trust (IAM User Guide: Principal element, role and role-session principals)', () => {
  const store = new SessionStore(() => new Date());
  const caller = store.issue({
    role: parseRoleArn('arn:aws:iam::111122223333:role/deploy')!,
    sessionName: 's',
    durationSeconds: 900,
    chained: false,
    sourceIdentity: undefined,
  });
  const trust = (
    principal: unknown,
    effect = 'Allow',
    action: unknown = 'sts:AssumeRole',
  ): ReturnType<typeof parseAwsAssumeRolePolicy> =>
    parseAwsAssumeRolePolicy(
      { Statement: [{ Effect: effect, Principal: { AWS: principal }, Action: action }] },
      'test',
    );

  it.each([
    ['the role ARN', 'arn:aws:iam::111122223333:role/deploy', true],
    ['the session ARN', 'arn:aws:sts::111122223333:assumed-role/deploy/s', true],
    ['the account ID', '111122223333', true],
    ['the account root', 'arn:aws:iam::111122223333:root', true],
    ['another role', 'arn:aws:iam::111122223333:role/other', false],
    ['another account', '999999999999', false],
  ])('a statement naming %s decides %s', (_, principal, accepted) => {
    expect(evaluateChaining(trust(principal), caller).accepted).toBe(accepted);
  });

  it('lets an explicit Deny win over an Allow', () => {
    const both = parseAwsAssumeRolePolicy(
      {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
          {
            Sid: 'NoDeploy',
            Effect: 'Deny',
            Principal: { AWS: 'arn:aws:iam::111122223333:role/deploy' },
            Action: 'sts:*',
          },
        ],
      },
      'test',
    );
    expect(evaluateChaining(both, caller)).toMatchObject({ accepted: false, deniedBy: 'NoDeploy' });
  });

  it('ignores statements for other actions', () => {
    expect(
      evaluateChaining(trust('111122223333', 'Allow', 'sts:TagSession'), caller).accepted,
    ).toBe(false);
  });
});
