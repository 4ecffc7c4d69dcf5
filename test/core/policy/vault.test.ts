import { describe, expect, it } from 'vitest';
import type { Claims } from '../../../src/core/token/claims.ts';
import type {
  VaultJwtConfig,
  VaultJwtRole,
  VaultLoginOptions,
} from '../../../src/core/policy/index.ts';
import {
  evaluateVaultRole,
  parseVaultConfig,
  parseVaultRole,
} from '../../../src/core/policy/index.ts';

const NOW = 1_790_000_000;
const GH = 'https://token.actions.githubusercontent.com';

function role(data: Record<string, unknown> = {}): VaultJwtRole {
  // The shape `vault read -format=json auth/jwt/role/ci` prints.
  return parseVaultRole({
    request_id: '0b6c…',
    data: {
      role_type: 'jwt',
      bound_audiences: ['https://github.com/org'],
      user_claim: 'sub',
      bound_claims_type: 'string',
      bound_claims: { repository: 'org/app' },
      clock_skew_leeway: 0,
      expiration_leeway: 0,
      not_before_leeway: 0,
      token_policies: ['ci'],
      ...data,
    },
  });
}

const config: VaultJwtConfig = parseVaultConfig({
  data: { bound_issuer: GH, oidc_discovery_url: GH },
});

function github(overrides: Record<string, unknown> = {}): Claims {
  return {
    iss: GH,
    aud: 'https://github.com/org',
    sub: 'repo:org/app:ref:refs/heads/main',
    repository: 'org/app',
    ref: 'refs/heads/main',
    run_number: '12',
    iat: NOW - 10,
    nbf: NOW - 610,
    exp: NOW + 290,
    ...overrides,
  };
}

interface Case {
  readonly name: string;
  readonly role: VaultJwtRole;
  readonly claims: Claims;
  readonly accepted: boolean;
  readonly error?: string;
  readonly hint?: RegExp;
  readonly options?: Partial<VaultLoginOptions>;
}

const cases: readonly Case[] = [
  {
    name: 'accepts a token that meets every bound',
    role: role(),
    claims: github(),
    accepted: true,
  },
  {
    name: 'refuses an oidc role (the default role_type)',
    role: role({ role_type: 'oidc' }),
    claims: github(),
    accepted: false,
    error: 'role with oidc role_type is not allowed',
    hint: /role_type=jwt/,
  },
  {
    name: 'refuses a token with aud when the role binds no audiences',
    role: role({ bound_audiences: [] }),
    claims: github(),
    accepted: false,
    error: 'audience claim found in JWT but no audiences bound to the role',
  },
  {
    name: 'refuses a token minted for another audience',
    role: role({ bound_audiences: ['vault.example.com'] }),
    claims: github(),
    accepted: false,
    error: 'error validating token: invalid audience (aud) claim',
  },
  {
    name: 'refuses a token from an issuer other than bound_issuer',
    role: role(),
    claims: github({ iss: 'https://gitlab.com' }),
    accepted: false,
    error: 'error validating token: invalid issuer (iss) claim',
  },
  {
    name: 'compares bound_subject exactly',
    role: role({ bound_subject: 'repo:org/app:ref:refs/heads/main' }),
    claims: github({ sub: 'repo:org/app:environment:prod', environment: 'prod' }),
    accepted: false,
    error: 'error validating token: invalid subject (sub) claim',
    hint: /environment: prod/,
  },
  {
    name: 'treats a list of bound claim values as any-of',
    role: role({ bound_claims: { ref: ['refs/heads/main', 'refs/heads/release'] } }),
    claims: github({ ref: 'refs/heads/release' }),
    accepted: true,
  },
  {
    name: 'refuses a bound claim that matches none of the values',
    role: role({ bound_claims: { ref: ['refs/heads/main', 'refs/heads/release'] } }),
    claims: github({ ref: 'refs/heads/feature' }),
    accepted: false,
    error: 'error validating claims: claim "ref" does not match any associated bound claim values',
  },
  {
    name: 'refuses a missing bound claim',
    role: role({ bound_claims: { environment: 'prod' } }),
    claims: github(),
    accepted: false,
    error: 'error validating claims: claim "environment" is missing',
    hint: /does not declare `environment:`/,
  },
  {
    name: 'treats * literally with bound_claims_type string, and says to use glob',
    role: role({ bound_claims: { sub: 'repo:org/app:*' } }),
    claims: github(),
    accepted: false,
    hint: /bound_claims_type=glob/,
  },
  {
    name: 'matches * with bound_claims_type glob',
    role: role({ bound_claims_type: 'glob', bound_claims: { sub: 'repo:org/app:*' } }),
    claims: github(),
    accepted: true,
  },
  {
    name: 'treats ? literally with bound_claims_type glob',
    role: role({ bound_claims_type: 'glob', bound_claims: { repository: 'org/ap?' } }),
    claims: github(),
    accepted: false,
    hint: /`\?` in Vault glob bound claims is literal/,
  },
  {
    name: 'does not equate the string "12" with the number 12',
    role: role({ bound_claims: { run_number: 12 } }),
    claims: github(),
    accepted: false,
    hint: /JSON types differ/,
  },
  {
    name: 'reads bound claims through a JSON pointer',
    role: role({ bound_claims: { '/nested/team': 'payments' } }),
    claims: github({ nested: { team: 'payments' } }),
    accepted: true,
  },
  {
    name: 'requires the user_claim to be present',
    role: role({ user_claim: 'actor' }),
    claims: github(),
    accepted: false,
    error: 'claim "actor" not found in token',
  },
  {
    name: 'accepts a token expired 100 s ago within the documented 150 s expiration_leeway',
    role: role(),
    claims: github({ exp: NOW - 100 }),
    accepted: true,
  },
  {
    name: 'refuses the same token under the plugin behaviour (clock_skew_leeway 60 s when exp is present)',
    role: role(),
    claims: github({ exp: NOW - 100 }),
    options: { behaviour: 'plugin' },
    accepted: false,
    error: 'error validating token: token is expired (exp)',
  },
  {
    name: 'refuses a token expired beyond the leeway',
    role: role({ expiration_leeway: 30 }),
    claims: github({ exp: NOW - 31 }),
    accepted: false,
    error: 'error validating token: token is expired (exp)',
    hint: /expired/,
  },
  {
    name: 'disables a leeway with -1',
    role: role({ expiration_leeway: -1 }),
    claims: github({ exp: NOW - 1 }),
    accepted: false,
  },
  {
    name: 'refuses a token not yet valid beyond not_before_leeway',
    role: role(),
    claims: github({ nbf: NOW + 151 }),
    accepted: false,
    error: 'error validating token: token not valid yet (nbf)',
  },
  {
    name: 'fails a claim_mappings entry for a missing claim as documented',
    role: role({ claim_mappings: { environment: 'env' } }),
    claims: github(),
    accepted: false,
  },
  {
    name: 'skips a claim_mappings entry for a missing claim under the plugin behaviour',
    role: role({ claim_mappings: { environment: 'env' } }),
    claims: github(),
    options: { behaviour: 'plugin' },
    accepted: true,
  },
];

describe('Vault JWT role', () => {
  for (const c of cases) {
    it(c.name, () => {
      const decision = evaluateVaultRole(c.role, config, c.claims, { now: NOW, ...c.options });
      expect(decision.accepted, JSON.stringify(decision.trace, null, 1)).toBe(c.accepted);
      if (c.error !== undefined) expect(decision.error?.message).toBe(c.error);
      if (!c.accepted) expect(decision.trace.some((line) => !line.passed)).toBe(true);
      if (c.hint !== undefined) expect(decision.hint).toMatch(c.hint);
    });
  }

  it('returns metadata with the role name and every mapped claim', () => {
    const named = { ...role({ claim_mappings: { repository: 'repo' } }), name: 'ci' };
    const decision = evaluateVaultRole(named, config, github(), { now: NOW });
    expect(decision.metadata).toEqual({ role: 'ci', repo: 'org/app' });
    expect(decision.aliasName).toBe('repo:org/app:ref:refs/heads/main');
  });

  it('reports the first failure in the order Vault checks (role_type before audience)', () => {
    const decision = evaluateVaultRole(
      role({ role_type: 'oidc', bound_audiences: [] }),
      config,
      github(),
      { now: NOW },
    );
    expect(decision.error).toEqual({
      status: 400,
      message: 'role with oidc role_type is not allowed',
    });
    expect(decision.trace.filter((line) => !line.passed).map((line) => line.claim)).toEqual([
      'role_type',
      'aud',
    ]);
  });

  it('shows times as UTC and survives an exp no date can hold', () => {
    const decision = evaluateVaultRole(role(), config, github({ exp: 1e20 }), { now: NOW });
    expect(decision.accepted).toBe(true);
    const expired = evaluateVaultRole(role(), config, github({ exp: NOW - 200 }), { now: NOW });
    expect(expired.trace.find((line) => line.claim === 'exp')?.actual).toBe('2026-09-21T14:10:00Z');
  });

  it('rejects a role read without user_claim as a usage error', () => {
    expect(() => parseVaultRole({ data: { role_type: 'jwt' } })).toThrow(/has no user_claim/);
  });
});
