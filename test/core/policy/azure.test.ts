import { describe, expect, it } from 'vitest';
import type { Claims } from '../../../src/core/token/claims.ts';
import type { AzureFederatedCredential } from '../../../src/core/policy/index.ts';
import { evaluateAzureCredentials, parseAzureCredentials } from '../../../src/core/policy/index.ts';

const GH = 'https://token.actions.githubusercontent.com';
const AUD = 'api://AzureADTokenExchange';

function classic(
  subject: string,
  overrides: Record<string, unknown> = {},
): AzureFederatedCredential[] {
  return [
    ...parseAzureCredentials({
      name: 'deploy',
      issuer: GH,
      subject,
      audiences: [AUD],
      ...overrides,
    }),
  ];
}

function flexible(expression: string, issuer = GH): AzureFederatedCredential[] {
  return [
    ...parseAzureCredentials({
      name: 'flex',
      issuer,
      subject: null,
      audiences: [AUD],
      claimsMatchingExpression: { value: expression, languageVersion: 1 },
    }),
  ];
}

function github(overrides: Record<string, unknown> = {}): Claims {
  return {
    iss: GH,
    aud: AUD,
    sub: 'repo:org/app:environment:prod',
    job_workflow_ref: 'org/automation/.github/workflows/deploy.yml@refs/heads/main',
    ...overrides,
  };
}

interface Case {
  readonly name: string;
  readonly credentials: readonly AzureFederatedCredential[];
  readonly claims: Claims;
  readonly accepted: boolean;
  readonly code?: number;
  readonly hint?: RegExp;
}

const cases: readonly Case[] = [
  {
    name: 'accepts an exact issuer, subject and audience',
    credentials: classic('repo:org/app:environment:prod'),
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses another environment with AADSTS700213 and names it',
    credentials: classic('repo:org/app:environment:staging'),
    claims: github(),
    accepted: false,
    code: 700213,
    hint: /another environment/,
  },
  {
    name: 'refuses a case-only subject difference with AADSTS7002138',
    credentials: classic('repo:Org/App:environment:prod'),
    claims: github(),
    accepted: false,
    code: 7002138,
    hint: /only in letter case/,
  },
  {
    name: 'treats * in a classic subject literally',
    credentials: classic('repo:org/app:*'),
    claims: github(),
    accepted: false,
    code: 700213,
    hint: /literally; use a flexible credential/,
  },
  {
    name: 'refuses a token from another issuer with AADSTS700211',
    credentials: classic('repo:org/app:environment:prod', { issuer: 'https://gitlab.com' }),
    claims: github(),
    accepted: false,
    code: 700211,
  },
  {
    name: 'refuses a token minted for another audience with AADSTS70021',
    credentials: classic('repo:org/app:environment:prod'),
    claims: github({ aud: 'https://github.com/org' }),
    accepted: false,
    code: 70021,
    hint: /aud is `https:\/\/github.com\/org`/,
  },
  {
    name: 'refuses a token without aud',
    credentials: classic('repo:org/app:environment:prod'),
    claims: github({ aud: undefined }),
    accepted: false,
    code: 70021,
  },
  {
    name: 'accepts when any of several credentials matches',
    credentials: [
      ...classic('repo:org/app:ref:refs/heads/main'),
      ...classic('repo:org/app:environment:prod'),
    ],
    claims: github(),
    accepted: true,
  },
  {
    name: 'explains the immutable subject against a name-only credential',
    credentials: classic('repo:org/app:environment:prod'),
    claims: github({ sub: 'repo:org@65/app@74:environment:prod' }),
    accepted: false,
    code: 700213,
    hint: /immutable form/,
  },
  {
    name: 'matches a flexible credential with a wildcard sub',
    credentials: flexible("claims['sub'] matches 'repo:org/app:environment:*'"),
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses a flexible credential whose pattern does not match',
    credentials: flexible("claims['sub'] matches 'repo:org/app:ref:refs/heads/*'"),
    claims: github(),
    accepted: false,
    code: 700213,
    hint: /because the job declares `environment: prod`/,
  },
  {
    name: 'supports eq and and in flexible credentials',
    credentials: flexible(
      "claims['sub'] matches 'repo:org/*' and claims['job_workflow_ref'] eq 'org/automation/.github/workflows/deploy.yml@refs/heads/main'",
    ),
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses when one and-ed term fails',
    credentials: flexible(
      "claims['sub'] matches 'repo:org/*' and claims['job_workflow_ref'] eq 'org/automation/.github/workflows/release.yml@refs/heads/main'",
    ),
    claims: github(),
    accepted: false,
    hint: /job_workflow_ref/,
  },
  {
    name: 'refuses a flexible credential on a claim GitHub tokens may not use',
    credentials: flexible("claims['repository'] eq 'org/app'"),
    claims: github({ repository: 'org/app' }),
    accepted: false,
  },
  {
    name: 'treats ? as one character in matches',
    credentials: flexible("claims['sub'] matches 'repo:org/ap?:environment:prod'"),
    claims: github(),
    accepted: true,
  },
];

describe('Azure federated identity credentials', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateAzureCredentials(c.credentials, c.claims);
      expect(decision.accepted, JSON.stringify(decision.trace, null, 1)).toBe(c.accepted);
      if (c.accepted) expect(decision.matched).toBeDefined();
      if (c.code !== undefined) {
        expect(decision.error?.code).toBe(c.code);
        expect(decision.error?.description).toMatch(new RegExp(`^AADSTS${c.code}:`));
      }
      if (!c.accepted) expect(decision.trace.some((line) => !line.passed)).toBe(true);
      if (c.hint !== undefined) expect(decision.hint).toMatch(c.hint);
    });
  }

  it('reads az … federated-credential list output and Graph { value: [...] }', () => {
    const one = { name: 'a', issuer: GH, subject: 'repo:o/r:pull_request', audiences: [AUD] };
    expect(parseAzureCredentials([one, { ...one, name: 'b' }])).toHaveLength(2);
    expect(parseAzureCredentials({ value: [one] })[0]?.name).toBe('a');
  });

  it('rejects a credential with both a subject and an expression', () => {
    expect(() =>
      parseAzureCredentials({
        issuer: GH,
        subject: 'x',
        claimsMatchingExpression: { value: "claims['sub'] eq 'x'", languageVersion: 1 },
      }),
    ).toThrow(/exactly one of subject and claimsMatchingExpression/);
  });

  it('rejects an expression outside the documented language', () => {
    expect(() => flexible("claims['sub'] startsWith 'repo:'")).toThrow(
      /cannot parse claimsMatchingExpression/,
    );
  });
});
