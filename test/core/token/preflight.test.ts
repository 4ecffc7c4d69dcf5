import { describe, expect, it } from 'vitest';
import { preflight } from '../../../src/core/token/preflight.ts';
import { githubClaims, nowSeconds } from '../../support/jwt.ts';

describe('token pre-flight checks', () => {
  it('passes a fresh token for the audience asked for', () => {
    const verdict = preflight(githubClaims(), { audience: 'sts.amazonaws.com' });
    expect(verdict.ok).toBe(true);
    expect(verdict.expiresInSeconds).toBeGreaterThan(290);
  });

  it('reports an expired token with how long ago and what to do', () => {
    const verdict = preflight(githubClaims({ exp: nowSeconds() - 3600 }));
    expect(verdict.problems.map((p) => p.check)).toEqual(['expired']);
    expect(verdict.problems[0]!.message).toMatch(/expired 60m ago/);
    expect(verdict.problems[0]!.fix).toMatch(/fresh/);
  });

  it('tolerates a minute of clock skew on exp and nbf', () => {
    expect(preflight(githubClaims({ exp: nowSeconds() - 30 })).ok).toBe(true);
    expect(preflight(githubClaims({ nbf: nowSeconds() + 30 })).ok).toBe(true);
  });

  it('reports a token that is not valid yet', () => {
    const verdict = preflight(githubClaims({ nbf: nowSeconds() + 600 }));
    expect(verdict.problems.map((p) => p.check)).toEqual(['not-yet-valid']);
    expect(verdict.problems[0]!.fix).toMatch(/clock/);
  });

  it('reports an audience other than the one requested, naming both', () => {
    const verdict = preflight(githubClaims({ aud: ['https://github.com/octo-org'] }), {
      audience: 'sts.amazonaws.com',
    });
    expect(verdict.problems[0]).toMatchObject({ check: 'audience' });
    expect(verdict.problems[0]!.message).toContain(
      '"https://github.com/octo-org", not "sts.amazonaws.com"',
    );
  });

  it('reports an unexpected issuer', () => {
    const verdict = preflight(githubClaims(), { expectedIssuers: ['https://gitlab.com'] });
    expect(verdict.problems.map((p) => p.check)).toEqual(['issuer']);
  });

  it('reports missing iss, sub and exp as not a workload identity token', () => {
    const verdict = preflight({ aud: 'x' });
    expect(verdict.problems.map((p) => p.check)).toEqual([
      'missing-claim',
      'missing-claim',
      'missing-claim',
    ]);
  });
});
