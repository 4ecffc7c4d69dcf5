import { describe, expect, it } from 'vitest';
import { hintFor, parseSubject } from '../../../src/core/policy/index.ts';

describe('subject forms', () => {
  it.each([
    [
      'repo:org/app:ref:refs/heads/main',
      {
        platform: 'github',
        repository: 'org/app',
        immutable: false,
        context: 'ref',
        value: 'refs/heads/main',
      },
    ],
    [
      'repo:org/app:environment:prod',
      {
        platform: 'github',
        repository: 'org/app',
        immutable: false,
        context: 'environment',
        value: 'prod',
      },
    ],
    [
      'repo:org/app:pull_request',
      {
        platform: 'github',
        repository: 'org/app',
        immutable: false,
        context: 'pull_request',
        value: '',
      },
    ],
    [
      'repo:org@65/app@74:ref:refs/tags/v1',
      {
        platform: 'github',
        repository: 'org/app',
        immutable: true,
        context: 'ref',
        value: 'refs/tags/v1',
      },
    ],
    [
      'project_path:group/proj:ref_type:branch:ref:main',
      {
        platform: 'gitlab',
        repository: 'group/proj',
        immutable: false,
        context: 'ref',
        value: 'main',
      },
    ],
  ])('parses %s', (subject, form) => {
    expect(parseSubject(subject)).toEqual(form);
  });

  it('leaves other subjects alone', () => {
    expect(parseSubject('system:serviceaccount:ci:deployer')).toBeUndefined();
  });
});

describe('the cause-finder', () => {
  const claims = { iss: 'https://token.actions.githubusercontent.com', aud: 'x' };

  it('names a subject from another repository', () => {
    expect(
      hintFor({
        claim: 'sub',
        expected: ['repo:org/api:ref:refs/heads/main'],
        actual: 'repo:org/app:ref:refs/heads/main',
        claims,
      }),
    ).toMatch(/comes from repository org\/app.*another repository/);
  });

  it('prefers the expected value for the same repository when several are listed', () => {
    const hint = hintFor({
      claim: 'sub',
      expected: ['repo:org/api:ref:refs/heads/main', 'repo:org/app:ref:refs/heads/release'],
      actual: 'repo:org/app:ref:refs/heads/main',
      claims,
    });
    expect(hint).toMatch(/names refs\/heads\/release/);
  });

  it('names a GitLab ref mismatch', () => {
    const hint = hintFor({
      claim: 'sub',
      expected: ['project_path:group/proj:ref_type:branch:ref:main'],
      actual: 'project_path:group/proj:ref_type:branch:ref:feature',
      claims,
    });
    expect(hint).toMatch(/ran on feature.*names main/);
  });

  it('spots an issuer that differs only by a trailing slash', () => {
    expect(
      hintFor({
        claim: 'iss',
        expected: ['https://gitlab.example.com/'],
        actual: 'https://gitlab.example.com',
        claims,
      }),
    ).toMatch(/trailing slash/);
  });

  it("names GitHub's enterprise issuer", () => {
    expect(
      hintFor({
        claim: 'iss',
        expected: ['https://token.actions.githubusercontent.com'],
        actual: 'https://token.actions.githubusercontent.com/acme',
        claims,
      }),
    ).toMatch(/unique issuer URL/);
  });

  it('sees a case-only difference through a wildcard pattern', () => {
    expect(
      hintFor({
        claim: 'sub',
        expected: ['repo:Org/*'],
        actual: 'repo:org/app:pull_request',
        claims,
        wildcards: 'star-and-question',
      }),
    ).toMatch(/only in letter case/);
  });
});
