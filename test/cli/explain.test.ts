import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../src/cli/commands/explain.ts';
import type { CommandIo } from '../../src/cli/command.ts';
import { describeError, exitCodeFor } from '../../src/core/errors.ts';
import { githubClaims, signTestToken } from '../support/jwt.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wif-explain-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function file(name: string, content: unknown): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command in-process the way the dispatcher does: a thrown WifError becomes one line. */
async function explain(
  argv: readonly string[],
  env: Record<string, string> = {},
  stdin = '',
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CommandIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd: scratch,
    stopped: new Promise(() => undefined),
    readStdin: () => Promise.resolve(stdin),
  };
  try {
    const code = await command.run(argv, io);
    return { code, stdout, stderr };
  } catch (error) {
    return { code: exitCodeFor(error), stdout, stderr: `${stderr}wif: ${describeError(error)}\n` };
  }
}

// `aws iam get-role` output, policy URL-encoded the way the API returns it.
const getRole = {
  Role: {
    Path: '/',
    RoleName: 'ci-deploy',
    RoleId: 'AROATESTROLEID000001',
    Arn: 'arn:aws:iam::111122223333:role/ci-deploy',
    AssumeRolePolicyDocument: encodeURIComponent(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'GitHubMain',
            Effect: 'Allow',
            Principal: {
              Federated:
                'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
            },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:sub':
                  'repo:octo-org/octo-repo:ref:refs/heads/main',
              },
            },
          },
        ],
      }),
    ),
    MaxSessionDuration: 3600,
  },
};

describe('wif explain', () => {
  it('prints the failing condition and a hint for a token from another ref, and exits 1', async () => {
    const token = await signTestToken(
      githubClaims({
        sub: 'repo:octo-org/octo-repo:ref:refs/heads/feature',
        ref: 'refs/heads/feature',
      }),
    );
    const result = await explain([
      '--token-file',
      file('token.jwt', token),
      file('role.json', getRole),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DENIED  AWS role ci-deploy');
    expect(result.stdout).toContain(
      '✗ token.actions.githubusercontent.com:sub StringEquals repo:octo-org/octo-repo:ref:refs/heads/main (actual: repo:octo-org/octo-repo:ref:refs/heads/feature)',
    );
    expect(result.stdout).toContain(
      '✓ token.actions.githubusercontent.com:aud StringEquals sts.amazonaws.com',
    );
    expect(result.stdout).toMatch(
      /hint: sub is `repo:octo-org\/octo-repo:ref:refs\/heads\/feature` because the workflow ran on refs\/heads\/feature/,
    );
    expect(result.stdout).not.toContain(token.split('.')[1]!);
  });

  it('exits 0 when the trust policy accepts the token', async () => {
    const token = await signTestToken(githubClaims());
    const result = await explain(['--token-env', 'ID_TOKEN', file('role.json', getRole)], {
      ID_TOKEN: token,
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ACCEPTED {2}AWS role ci-deploy/);
  });

  it('reads claims JSON from standard input and prints JSON', async () => {
    const claims = githubClaims({
      sub: 'repo:octo-org/octo-repo:environment:prod',
      environment: 'prod',
    });
    const result = await explain(
      ['--claims', '-', '--format', 'json', file('role.json', getRole)],
      {},
      JSON.stringify(claims),
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      accepted: boolean;
      results: { hint?: string; refusal?: string }[];
    };
    expect(report.accepted).toBe(false);
    expect(report.results[0]?.refusal).toBe(
      'AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity',
    );
    expect(report.results[0]?.hint).toMatch(/because the job declares `environment: prod`/);
  });

  it('evaluates several formats in one run and exits 1 when any refuses', async () => {
    const token = await signTestToken(githubClaims({ aud: 'api://AzureADTokenExchange' }));
    const fic = {
      name: 'main',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      audiences: ['api://AzureADTokenExchange'],
    };
    const vault = {
      data: {
        role_type: 'jwt',
        user_claim: 'sub',
        bound_audiences: ['https://github.com/octo-org'],
      },
    };
    const result = await explain([
      '--token-file',
      file('t2.jwt', token),
      file('fic.json', fic),
      file('vault.json', vault),
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('ACCEPTED  Azure federated credentials');
    expect(result.stdout).toContain('DENIED  Vault role');
    expect(result.stdout).toContain(
      'service answer: 400: error validating token: invalid audience (aud) claim',
    );
  });

  it.each([
    ['no token source', ['cfg.json']],
    ['two token sources', ['--claims', 'c.json', '--token-env', 'X', 'cfg.json']],
    ['no CONFIG', ['--token-env', 'X']],
    ['an unknown --type', ['--type', 'oci', '--token-env', 'X', 'cfg.json']],
    ['an unknown flag', ['--verbose', 'cfg.json']],
  ])('exits 2 with one line for %s', async (_name, argv) => {
    const result = await explain(argv, { X: 'x' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 with one line for a token that is not a JWT, without echoing it', async () => {
    const result = await explain(['--token-env', 'X', file('role.json', getRole)], {
      X: 'not-a-token-secret',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^wif: The token is not a JWT/);
    expect(result.stderr).not.toContain('not-a-token-secret');
  });

  it('exits 2 naming the file for a config that is not JSON', async () => {
    const token = await signTestToken(githubClaims());
    const result = await explain(['--token-env', 'X', file('broken.json', '{"Role":')], {
      X: token,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('broken.json is not valid JSON.');
  });

  it('exits 2 naming the operator and statement for an unknown condition operator', async () => {
    const token = await signTestToken(githubClaims());
    const policy = {
      Statement: [
        {
          Sid: 'Bad',
          Effect: 'Allow',
          Principal: { Federated: 'x' },
          Action: 'sts:*',
          Condition: { StringEqualz: {} },
        },
      ],
    };
    const result = await explain(['--token-env', 'X', file('bad.json', policy)], { X: token });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('statement Bad uses unknown condition operator StringEqualz');
  });
});
