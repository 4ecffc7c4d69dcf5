import { describe, expect, it } from 'vitest';
import { claimsFor, type TokenProfile } from '../../../src/sandbox/oidc/mint.ts';

const issuer = 'http://127.0.0.1:4100';
const now = new Date('2026-11-22T05:00:00Z');
const iat = now.getTime() / 1000;

describe('GitHub claim set', () => {
  const claims = claimsFor({ platform: 'github' }, issuer, { now });

  it('describes the default job: octo-org/octo-repo (owner 65, repo 74) on main, CI, push, octocat', () => {
    expect(claims).toMatchObject({
      iss: issuer,
      aud: 'https://github.com/octo-org',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      repository_owner_id: '65',
      repository_id: '74',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      workflow: 'CI',
      event_name: 'push',
      actor: 'octocat',
      workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      job_workflow_ref: 'octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main',
      runner_environment: 'github-hosted',
      repository_visibility: 'private',
      head_ref: '',
      base_ref: '',
    });
    expect(claims.environment).toBeUndefined();
  });

  it('makes every custom claim a JSON string, IDs included', () => {
    const standard = new Set(['iss', 'aud', 'sub', 'exp', 'iat', 'nbf', 'jti']);
    for (const [name, value] of Object.entries(claims)) {
      if (!standard.has(name)) expect(typeof value, name).toBe('string');
    }
  });

  it('lives 300 s by default and is valid from ten minutes before issue', () => {
    expect(claims.iat).toBe(iat);
    expect(claims.exp).toBe(iat + 300);
    expect(claims.nbf).toBe(iat - 600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('takes a shorter lifetime when asked (tests use 20 s tokens)', () => {
    expect(claimsFor({ platform: 'github' }, issuer, { now, lifetimeSeconds: 20 }).exp).toBe(
      iat + 20,
    );
  });

  it('carries the reusable workflow as job_workflow_ref when one runs the job', () => {
    const reusable = 'octo-org/automation/.github/workflows/deploy.yml@refs/heads/main';
    const c = claimsFor({ platform: 'github', jobWorkflowRef: reusable }, issuer, { now });
    expect(c.job_workflow_ref).toBe(reusable);
    expect(c.workflow_ref).toBe('octo-org/octo-repo/.github/workflows/ci.yml@refs/heads/main');
  });

  it('adds enterprise claims and repo_property_* only when configured', () => {
    expect(claims.enterprise).toBeUndefined();
    const c = claimsFor(
      {
        platform: 'github',
        enterprise: 'avocado-corp',
        enterpriseId: '2',
        repoProperties: { team: 'payments', tier: ['gold', 'pci'], regulated: true },
      },
      issuer,
      { now },
    );
    expect(c).toMatchObject({
      enterprise: 'avocado-corp',
      enterprise_id: '2',
      repo_property_team: 'payments',
      repo_property_tier: 'gold,pci',
      repo_property_regulated: 'true',
    });
  });

  const subjects: [
    string,
    Omit<Extract<TokenProfile, { platform: 'github' }>, 'platform'>,
    string,
  ][] = [
    ['a branch push uses the ref form', {}, 'repo:octo-org/octo-repo:ref:refs/heads/main'],
    [
      'a tag uses the ref form',
      { ref: 'refs/tags/v1.2.0' },
      'repo:octo-org/octo-repo:ref:refs/tags/v1.2.0',
    ],
    [
      'a job with an environment uses the environment form',
      { environment: 'prod' },
      'repo:octo-org/octo-repo:environment:prod',
    ],
    [
      'an environment wins over pull_request',
      { environment: 'preview', eventName: 'pull_request', ref: 'refs/pull/7/merge' },
      'repo:octo-org/octo-repo:environment:preview',
    ],
    [
      'a pull_request event uses the pull_request form',
      { eventName: 'pull_request', ref: 'refs/pull/7/merge', headRef: 'feature', baseRef: 'main' },
      'repo:octo-org/octo-repo:pull_request',
    ],
    [
      'an immutable-subject repository names the owner and repo IDs',
      { immutableSubject: true },
      'repo:octo-org@65/octo-repo@74:ref:refs/heads/main',
    ],
    [
      'a custom template lists the chosen claims',
      { includeClaimKeys: ['repository_owner', 'repository_visibility'] },
      'repository_owner:octo-org:repository_visibility:private',
    ],
    [
      'a custom template with repo and context keeps the default parts',
      {
        environment: 'prod',
        includeClaimKeys: ['repo', 'context', 'job_workflow_ref'],
        jobWorkflowRef: 'octo-org/automation/.github/workflows/oidc.yml@refs/heads/main',
      },
      'repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/automation/.github/workflows/oidc.yml@refs/heads/main',
    ],
    [
      'an immutable custom template keeps the IDs',
      { immutableSubject: true, includeClaimKeys: ['repo', 'context'], environment: 'prod' },
      'repo:octo-org@65/octo-repo@74:environment:prod',
    ],
    [
      'a colon inside a value is encoded as %3A',
      { environment: 'prod:eu' },
      'repo:octo-org/octo-repo:environment:prod%3Aeu',
    ],
  ];

  it.each(subjects)('sub: %s', (_name, job, sub) => {
    expect(claimsFor({ platform: 'github', ...job }, issuer, { now }).sub).toBe(sub);
  });

  it('keeps the plain names in repository claims when the subject is immutable', () => {
    const c = claimsFor({ platform: 'github', immutableSubject: true }, issuer, { now });
    expect(c.repository).toBe('octo-org/octo-repo');
  });

  it('refuses a template key that is not a GitHub claim', () => {
    expect(() =>
      claimsFor({ platform: 'github', includeClaimKeys: ['favourite_colour'] }, issuer),
    ).toThrow(/not a GitHub OIDC claim/);
  });

  it('refuses more than one audience, as getIDToken can only ask for one', () => {
    expect(() => claimsFor({ platform: 'github' }, issuer, { audience: ['a', 'b'] })).toThrow(
      /exactly one audience/,
    );
  });
});

describe('GitLab claim set', () => {
  const claims = claimsFor({ platform: 'gitlab' }, `${issuer}/gitlab`, {
    now,
    audience: 'https://vault.example.com',
  });

  it('matches the id_tokens shape: string IDs, numeric runner_id, short ref and ref_path', () => {
    expect(claims).toMatchObject({
      iss: `${issuer}/gitlab`,
      aud: 'https://vault.example.com',
      sub: 'project_path:mygroup/myproject:ref_type:branch:ref:main',
      namespace_id: '68413579',
      namespace_path: 'mygroup',
      project_id: '46573356',
      project_path: 'mygroup/myproject',
      pipeline_source: 'push',
      ref: 'main',
      ref_type: 'branch',
      ref_path: 'refs/heads/main',
      ref_protected: 'true',
      runner_id: 12270835,
      runner_environment: 'gitlab-hosted',
      ci_config_ref_uri: '127.0.0.1:4100/gitlab/mygroup/myproject//.gitlab-ci.yml@refs/heads/main',
    });
    expect(claims.environment).toBeUndefined();
  });

  it('lives 3600 s by default with nbf five seconds before issue', () => {
    expect(claims.exp).toBe(iat + 3600);
    expect(claims.nbf).toBe(iat - 5);
  });

  it.each([
    [['project_path', 'ref_type', 'ref'], 'project_path:g/p:ref_type:tag:ref:v1'],
    [['project_path', 'ref', 'ref_type'], 'project_path:g/p:ref:v1:ref_type:tag'],
    [['project_path', 'ref'], 'project_path:g/p:ref:v1'],
    [['project_path', 'ref_type'], 'project_path:g/p:ref_type:tag'],
  ])('builds sub from the components %j', (components, sub) => {
    const c = claimsFor(
      {
        platform: 'gitlab',
        projectPath: 'g/p',
        ref: 'v1',
        refType: 'tag',
        subClaimComponents: components,
      },
      issuer,
      { audience: 'x' },
    );
    expect(c.sub).toBe(sub);
  });

  it('refuses a component order GitLab does not allow', () => {
    expect(() =>
      claimsFor({ platform: 'gitlab', subClaimComponents: ['ref', 'project_path'] }, issuer, {
        audience: 'x',
      }),
    ).toThrow(/subClaimComponents/);
  });

  it('adds environment claims only when the job has an environment', () => {
    const c = claimsFor(
      {
        platform: 'gitlab',
        environment: 'production',
        environmentProtected: true,
        deploymentTier: 'production',
      },
      issuer,
      { audience: 'x' },
    );
    expect(c).toMatchObject({
      environment: 'production',
      environment_protected: 'true',
      deployment_tier: 'production',
    });
  });

  it('has no default audience', () => {
    expect(() => claimsFor({ platform: 'gitlab' }, issuer)).toThrow(/needs an audience/);
  });
});

describe('Kubernetes ServiceAccount token', () => {
  it('names the service account in sub and binds it in the kubernetes.io claim', () => {
    const c = claimsFor(
      {
        platform: 'kubernetes',
        namespace: 'tekton-builds',
        serviceAccount: 'deployer',
        podName: 'run-1-pod',
        podUid: 'p-uid',
      },
      issuer,
      { now, audience: ['vault', 'sts.amazonaws.com'] },
    );
    expect(c).toMatchObject({
      iss: issuer,
      sub: 'system:serviceaccount:tekton-builds:deployer',
      aud: ['vault', 'sts.amazonaws.com'],
      'kubernetes.io': {
        namespace: 'tekton-builds',
        serviceaccount: { name: 'deployer', uid: expect.any(String) as unknown },
        pod: { name: 'run-1-pod', uid: 'p-uid' },
      },
      nbf: iat,
      exp: iat + 3600,
    });
  });

  it('always carries aud as a list, defaulting to the issuer', () => {
    expect(claimsFor({ platform: 'kubernetes' }, issuer, { now }).aud).toEqual([issuer]);
    expect(claimsFor({ platform: 'kubernetes' }, issuer, { audience: 'vault' }).aud).toEqual([
      'vault',
    ]);
  });

  it('omits the pod binding for an unbound token', () => {
    const binding = claimsFor({ platform: 'kubernetes' }, issuer)['kubernetes.io'] as Record<
      string,
      unknown
    >;
    expect(binding.pod).toBeUndefined();
  });

  it('honours expirationSeconds down to the 600 s minimum and refuses less', () => {
    expect(claimsFor({ platform: 'kubernetes' }, issuer, { now, lifetimeSeconds: 600 }).exp).toBe(
      iat + 600,
    );
    expect(() => claimsFor({ platform: 'kubernetes' }, issuer, { lifetimeSeconds: 599 })).toThrow(
      /minimum of 600/,
    );
  });
});
