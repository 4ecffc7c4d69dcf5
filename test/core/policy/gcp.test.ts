import { describe, expect, it } from 'vitest';
import type { Claims } from '../../../src/core/token/claims.ts';
import type { GcpProvider } from '../../../src/core/policy/index.ts';
import {
  evaluateGcpBinding,
  evaluateGcpProvider,
  parseGcpIamPolicy,
  parseGcpProvider,
  poolOf,
} from '../../../src/core/policy/index.ts';

const NAME = 'projects/123456789/locations/global/workloadIdentityPools/ci/providers/github';
const POOL = poolOf(NAME);

function provider(
  overrides: Record<string, unknown> = {},
  oidc: Record<string, unknown> = {},
): GcpProvider {
  return parseGcpProvider({
    name: NAME,
    state: 'ACTIVE',
    disabled: false,
    oidc: { issuerUri: 'https://token.actions.githubusercontent.com', ...oidc },
    attributeMapping: {
      'google.subject': 'assertion.sub',
      'attribute.repository': 'assertion.repository',
      'attribute.repository_id': 'assertion.repository_id',
      'attribute.ref': 'assertion.ref',
    },
    attributeCondition: "assertion.repository_owner == 'org'",
    ...overrides,
  });
}

function github(overrides: Record<string, unknown> = {}): Claims {
  return {
    iss: 'https://token.actions.githubusercontent.com',
    aud: `https://iam.googleapis.com/${NAME}`,
    sub: 'repo:org/app:ref:refs/heads/main',
    repository: 'org/app',
    repository_id: '74',
    repository_owner: 'org',
    ref: 'refs/heads/main',
    ...overrides,
  };
}

interface Case {
  readonly name: string;
  readonly provider: GcpProvider;
  readonly claims: Claims;
  readonly accepted: boolean;
  readonly error?: string;
  readonly hint?: RegExp;
}

const cases: readonly Case[] = [
  {
    name: 'accepts the default https: audience form when allowedAudiences is empty',
    provider: provider(),
    claims: github(),
    accepted: true,
  },
  {
    name: 'accepts the default // audience form when allowedAudiences is empty',
    provider: provider(),
    claims: github({ aud: `//iam.googleapis.com/${NAME}` }),
    accepted: true,
  },
  {
    name: "denies GitHub's default owner audience when allowedAudiences is empty",
    provider: provider(),
    claims: github({ aud: 'https://github.com/org' }),
    accepted: false,
    error: 'invalid_grant',
    hint: /aud is `https:\/\/github.com\/org`/,
  },
  {
    name: 'accepts only the listed audiences once allowedAudiences is set',
    provider: provider({}, { allowedAudiences: ['https://github.com/org'] }),
    claims: github(),
    accepted: false,
    error: 'invalid_grant',
  },
  {
    name: 'denies a token with no aud',
    provider: provider(),
    claims: github({ aud: undefined }),
    accepted: false,
    hint: /no aud claim/,
  },
  {
    name: 'denies a token from another issuer',
    provider: provider(),
    claims: github({ iss: 'https://gitlab.com' }),
    accepted: false,
    error: 'invalid_grant',
    hint: /issued by `https:\/\/gitlab.com`/,
  },
  {
    name: 'denies a token the attribute condition rejects, naming the claim',
    provider: provider({ attributeCondition: "assertion.repository_owner == 'other-org'" }),
    claims: github(),
    accepted: false,
    error: 'unauthorized_client',
    hint: /repository_owner is `org`/,
  },
  {
    name: 'catches the string-vs-number trap: GitHub IDs are strings',
    provider: provider({ attributeCondition: 'assertion.repository_id == 74' }),
    claims: github(),
    accepted: false,
    error: 'unauthorized_client',
    hint: /string "74".*never matches.*'74'/,
  },
  {
    name: 'accepts the quoted ID',
    provider: provider({ attributeCondition: "assertion.repository_id == '74'" }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'evaluates conditions over mapped attributes',
    provider: provider({
      attributeCondition:
        "attribute.repository == 'org/app' && attribute.ref.startsWith('refs/heads/')",
    }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'names the failing conjunct of a compound condition (environment sub vs ref)',
    provider: provider({
      attributeCondition:
        "assertion.repository_owner == 'org' && assertion.sub == 'repo:org/app:ref:refs/heads/main'",
    }),
    claims: github({ sub: 'repo:org/app:environment:prod', environment: 'prod' }),
    accepted: false,
    hint: /because the job declares `environment: prod`/,
  },
  {
    name: 'refuses a condition that reads a claim the token lacks',
    provider: provider({ attributeCondition: "assertion.environment == 'prod'" }),
    claims: github(),
    accepted: false,
    hint: /does not have/,
  },
  {
    name: 'refuses a google.subject mapped to a number',
    provider: provider({ attributeMapping: { 'google.subject': 'assertion.run_number' } }),
    claims: github({ run_number: 7 }),
    accepted: false,
    error: 'unauthorized_client',
    hint: /string\(…\)/,
  },
  {
    name: 'accepts a google.subject converted with string()',
    provider: provider({ attributeMapping: { 'google.subject': 'string(assertion.run_number)' } }),
    claims: github({ run_number: 7 }),
    accepted: true,
  },
  {
    name: 'refuses a google.subject longer than 127 bytes',
    provider: provider({ attributeMapping: { 'google.subject': 'assertion.sub' } }),
    claims: github({ sub: `repo:org/app:ref:refs/heads/${'x'.repeat(120)}` }),
    accepted: false,
    error: 'invalid_request',
    hint: /127-byte limit/,
  },
  {
    name: 'refuses a mapping whose google.subject claim is absent',
    provider: provider({ attributeMapping: { 'google.subject': 'assertion.job_workflow_ref' } }),
    claims: github(),
    accepted: false,
    hint: /does not provide/,
  },
  {
    name: "supports Google's extract() in mappings",
    provider: provider({
      attributeMapping: {
        'google.subject': 'assertion.sub',
        'attribute.owner': "assertion.sub.extract('repo:{owner}/')",
      },
      attributeCondition: "attribute.owner == 'org'",
    }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses every token on a disabled provider',
    provider: provider({ disabled: true }),
    claims: github(),
    accepted: false,
  },
];

describe('GCP workload identity provider', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateGcpProvider(c.provider, c.claims);
      expect(decision.accepted, JSON.stringify(decision.trace, null, 1)).toBe(c.accepted);
      if (c.error !== undefined) expect(decision.error?.error).toBe(c.error);
      if (!c.accepted) expect(decision.trace.some((line) => !line.passed)).toBe(true);
      if (c.hint !== undefined) expect(decision.hint).toMatch(c.hint);
    });
  }

  it('returns the mapped attributes and google.subject', () => {
    const decision = evaluateGcpProvider(provider(), github());
    expect(decision.subject).toBe('repo:org/app:ref:refs/heads/main');
    expect(decision.attributes['attribute.repository']).toBe('org/app');
  });

  it('refuses an STS audience that is not the provider resource name', () => {
    const decision = evaluateGcpProvider(provider(), github(), {
      requestedAudience:
        '//iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/ci/providers/github',
    });
    expect(decision.error?.error).toBe('invalid_request');
  });

  it('rejects invalid CEL in the exported provider as a usage error', () => {
    expect(() => provider({ attributeCondition: "assertion.sub == 'x" })).toThrow(
      /attributeCondition is not valid CEL/,
    );
  });
});

describe('GCP service-account binding', () => {
  const principal = {
    pool: POOL,
    subject: 'repo:org/app:ref:refs/heads/main',
    attributes: {
      'google.subject': 'repo:org/app:ref:refs/heads/main',
      'attribute.repository': 'org/app',
    },
  };
  const policy = (
    members: string[],
    role = 'roles/iam.workloadIdentityUser',
  ): ReturnType<typeof parseGcpIamPolicy> =>
    parseGcpIamPolicy({ bindings: [{ role, members }], etag: 'BwX=', version: 1 });

  it('grants a principalSet bound to the repository attribute', () => {
    const decision = evaluateGcpBinding(
      policy([`principalSet://iam.googleapis.com/${POOL}/attribute.repository/org/app`]),
      principal,
    );
    expect(decision.accepted).toBe(true);
    expect(decision.member).toContain('attribute.repository/org/app');
  });

  it('refuses a principalSet for another repository and names both values', () => {
    const decision = evaluateGcpBinding(
      policy([`principalSet://iam.googleapis.com/${POOL}/attribute.repository/org/other`]),
      principal,
    );
    expect(decision.accepted).toBe(false);
    expect(decision.hint).toMatch(
      /attribute.repository is `org\/app`, but the binding grants `org\/other`/,
    );
  });

  it('grants a principal bound to the exact subject', () => {
    const decision = evaluateGcpBinding(
      policy([`principal://iam.googleapis.com/${POOL}/subject/repo:org/app:ref:refs/heads/main`]),
      principal,
    );
    expect(decision.accepted).toBe(true);
  });

  it('refuses a binding with another role', () => {
    const decision = evaluateGcpBinding(
      policy([`principalSet://iam.googleapis.com/${POOL}/*`], 'roles/iam.serviceAccountUser'),
      principal,
    );
    expect(decision.accepted).toBe(false);
    expect(decision.hint).toMatch(/no member holds roles\/iam.workloadIdentityUser/);
  });

  it('refuses a principalSet on an attribute the mapping does not produce', () => {
    const decision = evaluateGcpBinding(
      policy([`principalSet://iam.googleapis.com/${POOL}/attribute.environment/prod`]),
      principal,
    );
    expect(decision.accepted).toBe(false);
    expect(decision.hint).toMatch(/attribute mapping does not produce/);
  });
});

describe('GCP service-account binding for a service-account caller (delegation chains)', () => {
  const DEPLOYER = 'deployer@acme-prod.iam.gserviceaccount.com';
  const caller = { kind: 'service-account', email: DEPLOYER } as const;
  const creator = 'roles/iam.serviceAccountTokenCreator';
  const policy = (members: string[], role = creator): ReturnType<typeof parseGcpIamPolicy> =>
    parseGcpIamPolicy({ bindings: [{ role, members }] });

  it('grants the role to the serviceAccount:<email> member naming the caller', () => {
    const decision = evaluateGcpBinding(
      policy(['user:ops@acme.example', `serviceAccount:${DEPLOYER}`]),
      caller,
      { role: creator },
    );
    expect(decision.accepted).toBe(true);
    expect(decision.member).toBe(`serviceAccount:${DEPLOYER}`);
    expect(decision.trace.map((line) => line.passed)).toEqual([false, true]);
  });

  it('refuses a serviceAccount member naming another account', () => {
    const decision = evaluateGcpBinding(
      policy(['serviceAccount:other@acme-prod.iam.gserviceaccount.com']),
      caller,
      { role: creator },
    );
    expect(decision.accepted).toBe(false);
    expect(decision.hint).toBe(
      `serviceAccount:${DEPLOYER} does not hold ${creator} on the service account; grant it to that member.`,
    );
  });

  it('does not let a federated principalSet match a service-account caller', () => {
    const decision = evaluateGcpBinding(
      policy([`principalSet://iam.googleapis.com/${POOL}/*`]),
      caller,
      { role: creator },
    );
    expect(decision.accepted).toBe(false);
    expect(decision.trace[0]?.note).toBe('not a service-account member');
  });

  it('refuses when the member holds only another role, and says which role to grant', () => {
    const decision = evaluateGcpBinding(
      policy([`serviceAccount:${DEPLOYER}`], 'roles/iam.serviceAccountUser'),
      caller,
      { role: creator },
    );
    expect(decision.accepted).toBe(false);
    expect(decision.hint).toBe(
      `no member holds ${creator} on the service account; grant it to serviceAccount:${DEPLOYER}.`,
    );
  });

  it('does not let a serviceAccount member match a federated principal', () => {
    const decision = evaluateGcpBinding(
      policy([`serviceAccount:${DEPLOYER}`], 'roles/iam.workloadIdentityUser'),
      {
        pool: POOL,
        subject: DEPLOYER,
        attributes: { 'google.subject': DEPLOYER },
      },
    );
    expect(decision.accepted).toBe(false);
  });
});
