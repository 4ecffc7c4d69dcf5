import { describe, expect, it } from 'vitest';
import { isWifError } from '../../../src/core/errors.ts';
import type { Claims } from '../../../src/core/token/claims.ts';
import { evaluateAwsTrust, parseAwsTrustPolicy } from '../../../src/core/policy/index.ts';

const GH = 'token.actions.githubusercontent.com';
const GH_ARN = `arn:aws:iam::111122223333:oidc-provider/${GH}`;
const GL_ARN = 'arn:aws:iam::111122223333:oidc-provider/gitlab.com';

function github(overrides: Record<string, unknown> = {}): Claims {
  return {
    iss: `https://${GH}`,
    aud: 'sts.amazonaws.com',
    sub: 'repo:org/app:ref:refs/heads/main',
    repository: 'org/app',
    repository_owner: 'org',
    ref: 'refs/heads/main',
    event_name: 'push',
    ...overrides,
  };
}

function allow(condition: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubDeploy',
        Effect: 'Allow',
        Principal: { Federated: GH_ARN },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
        ...extra,
      },
    ],
  };
}

const audEq = { [`${GH}:aud`]: 'sts.amazonaws.com' };

interface Case {
  readonly name: string;
  readonly policy: unknown;
  readonly claims: Claims;
  readonly accepted: boolean;
  readonly hint?: RegExp;
  readonly sessionTags?: boolean;
}

const cases: readonly Case[] = [
  {
    name: 'accepts an exact sub and aud',
    policy: allow({
      StringEquals: { ...audEq, [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' },
    }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'denies a token whose sub names another branch, and says which ref the job ran on',
    policy: allow({
      StringEquals: { ...audEq, [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' },
    }),
    claims: github({ sub: 'repo:org/app:ref:refs/heads/feature', ref: 'refs/heads/feature' }),
    accepted: false,
    hint: /ran on refs\/heads\/feature.*names refs\/heads\/main/,
  },
  {
    name: 'accepts a wildcard subject with StringLike',
    policy: allow({ StringEquals: audEq, StringLike: { [`${GH}:sub`]: 'repo:org/app:*' } }),
    claims: github({ sub: 'repo:org/app:pull_request' }),
    accepted: true,
  },
  {
    name: 'treats ? as exactly one character in StringLike',
    policy: allow({ StringLike: { [`${GH}:sub`]: 'repo:org/ap?:ref:refs/heads/main' } }),
    claims: github({ sub: 'repo:org/apps:ref:refs/heads/main' }),
    accepted: false,
  },
  {
    name: 'does not treat * as a wildcard in StringEquals',
    policy: allow({ StringEquals: { [`${GH}:sub`]: 'repo:org/app:*' } }),
    claims: github(),
    accepted: false,
  },
  {
    name: 'explains an environment job against a ref policy',
    policy: allow({ StringEquals: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }),
    claims: github({ sub: 'repo:org/app:environment:prod', environment: 'prod' }),
    accepted: false,
    hint: /sub is `repo:org\/app:environment:prod` because the job declares `environment: prod`/,
  },
  {
    name: 'explains a pull_request subject',
    policy: allow({ StringEquals: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }),
    claims: github({ sub: 'repo:org/app:pull_request', event_name: 'pull_request' }),
    accepted: false,
    hint: /pull_request event/,
  },
  {
    name: 'explains a case-only mismatch (StringEquals is case-sensitive)',
    policy: allow({ StringEquals: { [`${GH}:sub`]: 'repo:Org/App:ref:refs/heads/main' } }),
    claims: github(),
    accepted: false,
    hint: /only in letter case/,
  },
  {
    name: 'accepts a case-only difference under StringEqualsIgnoreCase',
    policy: allow({
      StringEqualsIgnoreCase: { [`${GH}:sub`]: 'repo:Org/App:ref:refs/heads/main' },
    }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'explains the immutable subject form against a name-only policy',
    policy: allow({ StringLike: { [`${GH}:sub`]: 'repo:org/app:ref:refs/heads/main' } }),
    claims: github({ sub: 'repo:org@65/app@74:ref:refs/heads/main' }),
    accepted: false,
    hint: /immutable form/,
  },
  {
    name: 'accepts the immutable form when the policy names it',
    policy: allow({ StringEquals: { [`${GH}:sub`]: 'repo:org@65/app@74:ref:refs/heads/main' } }),
    claims: github({ sub: 'repo:org@65/app@74:ref:refs/heads/main' }),
    accepted: true,
  },
  {
    name: 'denies a token with no aud when the policy conditions on aud',
    policy: allow({ StringEquals: audEq }),
    claims: github({ aud: undefined }),
    accepted: false,
    hint: /no aud claim/,
  },
  {
    name: 'denies a token minted for another audience and names both',
    policy: allow({ StringEquals: audEq }),
    claims: github({ aud: 'https://github.com/org' }),
    accepted: false,
    hint: /aud is `https:\/\/github.com\/org`.*`sts.amazonaws.com`/,
  },
  {
    name: 'lets an explicit Deny override a matching Allow',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: GH_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${GH}:sub`]: 'repo:org/*' } },
        },
        {
          Sid: 'NoPullRequests',
          Effect: 'Deny',
          Principal: { Federated: GH_ARN },
          Action: 'sts:*',
          Condition: { StringLike: { [`${GH}:sub`]: '*:pull_request' } },
        },
      ],
    },
    claims: github({ sub: 'repo:org/app:pull_request' }),
    accepted: false,
    hint: /NoPullRequests explicitly denies/,
  },
  {
    name: 'ignores a Deny whose condition does not match',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: GH_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
        {
          Effect: 'Deny',
          Principal: { Federated: GH_ARN },
          Action: '*',
          Condition: { StringLike: { [`${GH}:sub`]: '*:pull_request' } },
        },
      ],
    },
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses a GitLab token on a role that trusts only the GitHub provider',
    policy: allow({}),
    claims: {
      iss: 'https://gitlab.com',
      aud: 'sts.amazonaws.com',
      sub: 'project_path:g/p:ref_type:branch:ref:main',
    },
    accepted: false,
    hint: /not the OIDC provider for the token's issuer https:\/\/gitlab.com/,
  },
  {
    name: 'accepts a GitLab token on the GitLab provider',
    policy: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: GL_ARN },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:*' } },
        },
      ],
    },
    claims: {
      iss: 'https://gitlab.com',
      aud: 'sts.amazonaws.com',
      sub: 'project_path:g/p:ref_type:branch:ref:main',
    },
    accepted: true,
  },
  {
    name: 'treats an absent key as a pass under ForAllValues (the "only production" trap)',
    policy: allow({ 'ForAllValues:StringEquals': { [`${GH}:environment`]: 'production' } }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'treats an absent key as a failure under ForAnyValue',
    policy: allow({ 'ForAnyValue:StringEquals': { [`${GH}:environment`]: 'production' } }),
    claims: github(),
    accepted: false,
    hint: /no environment claim because the job does not declare/,
  },
  {
    name: 'passes StringEqualsIfExists when the key is absent',
    policy: allow({ StringEqualsIfExists: { [`${GH}:environment`]: 'production' } }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'still checks StringEqualsIfExists when the key is present',
    policy: allow({ StringEqualsIfExists: { [`${GH}:environment`]: 'production' } }),
    claims: github({ environment: 'staging', sub: 'repo:org/app:environment:staging' }),
    accepted: false,
  },
  {
    name: 'requires presence with Null "false"',
    policy: allow({ Null: { [`${GH}:environment`]: 'false' } }),
    claims: github(),
    accepted: false,
  },
  {
    name: 'requires absence with Null "true"',
    policy: allow({ Null: { [`${GH}:environment`]: 'true' } }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'passes StringNotEquals on an absent key',
    policy: allow({ StringNotEquals: { [`${GH}:environment`]: 'sandbox' } }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'fails StringNotLike when the value matches a pattern',
    policy: allow({
      StringNotLike: { [`${GH}:sub`]: ['*:pull_request', '*:ref:refs/heads/dependabot/*'] },
    }),
    claims: github({ sub: 'repo:org/app:pull_request' }),
    accepted: false,
    hint: /not to match/,
  },
  {
    name: 'uses the GitHub claims AWS exposes as condition keys',
    policy: allow({
      StringEquals: { [`${GH}:repository`]: 'org/app', [`${GH}:ref`]: 'refs/heads/main' },
    }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'treats a GitHub claim AWS does not expose as an absent key, and says so',
    policy: allow({ StringEquals: { [`${GH}:repository_owner`]: 'org' } }),
    claims: github(),
    accepted: false,
    hint: /never in the request context/,
  },
  {
    name: 'requires sts:TagSession when the token carries session tags',
    policy: allow({ StringEquals: audEq }),
    claims: github({ 'https://aws.amazon.com/tags': { principal_tags: { team: ['a'] } } }),
    sessionTags: true,
    accepted: false,
    hint: /sts:TagSession/,
  },
  {
    name: 'accepts session tags when sts:TagSession is allowed too',
    policy: allow(
      { StringEquals: audEq },
      { Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] },
    ),
    claims: github(),
    sessionTags: true,
    accepted: true,
  },
  {
    name: 'refuses a statement that allows another action',
    policy: allow({}, { Action: 'sts:AssumeRole' }),
    claims: github(),
    accepted: false,
    hint: /does not allow sts:AssumeRoleWithWebIdentity/,
  },
];

describe('AWS trust policy', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateAwsTrust(parseAwsTrustPolicy(c.policy), {
        claims: c.claims,
        ...(c.sessionTags === undefined ? {} : { sessionTags: c.sessionTags }),
      });
      expect(decision.accepted, JSON.stringify(decision.trace, null, 1)).toBe(c.accepted);
      if (c.accepted) {
        expect(decision.error).toBeUndefined();
      } else {
        expect(decision.error?.code).toBe('AccessDenied');
        expect(decision.trace.some((line) => !line.passed)).toBe(true);
      }
      if (c.hint !== undefined) expect(decision.hint).toMatch(c.hint);
    });
  }

  it('checks the provider client-ID list apart from the policy, as STS does', () => {
    const decision = evaluateAwsTrust(parseAwsTrustPolicy(allow({})), {
      claims: github({ aud: 'https://github.com/org' }),
      clientIds: ['sts.amazonaws.com'],
    });
    expect(decision.accepted).toBe(false);
    expect(decision.error).toEqual({
      code: 'InvalidIdentityToken',
      message: 'Incorrect token audience',
    });
  });

  it('matches Principal.Federated against the ARNs the account registered for the issuer', () => {
    const policy = parseAwsTrustPolicy(allow({}));
    const registered = (issuer: string): readonly string[] =>
      issuer === `https://${GH}` ? [GH_ARN] : [];
    expect(evaluateAwsTrust(policy, { claims: github(), providerArns: registered }).accepted).toBe(
      true,
    );
    const other = (issuer: string): readonly string[] =>
      issuer === `https://${GH}` ? [GL_ARN] : [];
    expect(evaluateAwsTrust(policy, { claims: github(), providerArns: other }).error?.code).toBe(
      'AccessDenied',
    );
  });

  it('answers InvalidIdentityToken when the account has no provider for the issuer', () => {
    const decision = evaluateAwsTrust(parseAwsTrustPolicy(allow({})), {
      claims: github(),
      providerArns: () => [],
    });
    expect(decision.accepted).toBe(false);
    expect(decision.error).toEqual({
      code: 'InvalidIdentityToken',
      message: `No OpenIDConnect provider found in your account for https://${GH}`,
    });
  });

  it('records one trace line per condition key, with the absent-key behaviour noted', () => {
    const decision = evaluateAwsTrust(
      parseAwsTrustPolicy(
        allow({ 'ForAllValues:StringEquals': { [`${GH}:environment`]: 'production' } }),
      ),
      { claims: github() },
    );
    const line = decision.trace.find((l) => l.claim === `${GH}:environment`);
    expect(line).toMatchObject({
      operator: 'ForAllValues:StringEquals',
      expected: 'production',
      actual: '(absent)',
      passed: true,
    });
    expect(line?.note).toMatch(/ForAllValues is true for an empty set/);
  });

  it('reads get-role output whose policy document is URL-encoded', () => {
    const encoded = encodeURIComponent(JSON.stringify(allow({ StringEquals: audEq })));
    const policy = parseAwsTrustPolicy(encoded);
    expect(policy.statements[0]?.id).toBe('GitHubDeploy');
  });

  it('rejects an unknown condition operator in one line naming the operator and the statement', () => {
    let caught: unknown;
    try {
      parseAwsTrustPolicy(allow({ StringEqual: audEq }), 'role.json');
    } catch (error) {
      caught = error;
    }
    expect(isWifError(caught) && caught.code).toBe('usage');
    expect((caught as Error).message).toBe(
      'role.json: statement GitHubDeploy uses unknown condition operator StringEqual.',
    );
  });

  it('suggests the right spelling for a mis-cased operator', () => {
    expect(() => parseAwsTrustPolicy(allow({ stringlike: audEq }))).toThrow(
      /did you mean StringLike/,
    );
  });
});
