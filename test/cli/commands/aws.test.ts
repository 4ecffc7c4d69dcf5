import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { runCli } from '../../support/cli.ts';

/** `wif aws`, the built CLI (GitLab jobs, Tekton steps, a shell), against the sandbox's STS. */
const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
const CHAINED = 'arn:aws:iam::111122223333:role/wif-sandbox-readonly';
let sandbox: Sandbox;
let out: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  out = mkdtempSync(join(tmpdir(), 'wif-cli-aws-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(out, { recursive: true, force: true });
});

function args(extra: string[] = []): string[] {
  return [
    'aws',
    '--source',
    'env:WIF_ID_TOKEN',
    '--role-arn',
    ROLE,
    '--region',
    'us-east-1',
    '--sts-endpoint',
    sandbox.urls['aws-sts']!['sts']!,
    ...extra,
  ];
}

async function env(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    WIF_ID_TOKEN: await sandbox.issuer.mint(undefined, { audience: 'sts.amazonaws.com' }),
    ...extra,
  };
}

describe('wif aws', () => {
  it('prints the session for a shell', async () => {
    const result = await runCli(args(), { env: await env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='?ASIA/m);
  });

  it('with --mask-aws-account-id, stderr never shows the account (GitLab cannot mask it)', async () => {
    const result = await runCli(
      args(['--mask-aws-account-id', '--format', 'env-file', '--output-dir', out]),
      {
        env: await env(),
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/wif: aws aws: assumed arn:aws:sts::\*\*\*:assumed-role\//);
    expect(result.stderr).not.toContain('111122223333');
    expect(result.stdout).not.toContain('111122223333');
  });

  it('refuses --refresh with --chain-role-arns (exit 2, one line) and starts no refresher', async () => {
    const dir = mkdtempSync(join(out, 'refresh-'));
    const result = await runCli(
      args(['--chain-role-arns', CHAINED, '--refresh', '--output-dir', dir]),
      { env: await env() },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^wif: --chain-role-arns cannot be combined with --refresh .*Use --profile NAME .*Or drop --refresh\./,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the fix for credentials already in the environment in CLI flags, not action inputs', async () => {
    const result = await runCli(args(), {
      env: await env({ AWS_ACCESS_KEY_ID: 'ASIAEARLIERSTEP00000' }),
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /already in the environment .*Add --overwrite to replace them, or --profile NAME /,
    );
    expect(result.stderr).not.toMatch(/overwrite: true|profile: NAME/);
  });

  it('never echoes the password of a refused proxy URL', async () => {
    const result = await runCli(args(['--http-proxy', 'socks5://user:s3cretpw@proxy:1080']), {
      env: await env(),
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(
      '--http-proxy must be an http(s) URL, not "socks5://***@proxy:1080".',
    );
    expect(result.stderr + result.stdout).not.toContain('s3cretpw');
  });

  it('refuses to write an env file of secret keys inside the project directory (exit 2)', async () => {
    const project = join(out, 'proj');
    mkdirSync(project, { recursive: true });
    const result = await runCli(args(['--format', 'env-file', '--output-dir', project]), {
      env: await env({ CI_PROJECT_DIR: project }),
    });
    expect(result.exitCode).toBe(2);
    // The exchange's own progress line, then the refusal: one line.
    const lines = result.stderr.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('wif: aws aws: assumed '))).toHaveLength(1);
    expect(result.stderr).toMatch(
      /Refusing to write AWS credentials to .*: it is inside the workspace \(CI_PROJECT_DIR\)/,
    );
    expect(readdirSync(project)).toEqual([]);
    expect(result.stdout).toBe('');
  });

  it('refuses a named profile inside the checkout too', async () => {
    const project = join(out, 'checkout');
    mkdirSync(project, { recursive: true });
    const result = await runCli(
      args(['--profile', 'deploy', '--format', 'json', '--output-dir', join(project, 'tmp')]),
      { env: await env({ GITHUB_WORKSPACE: project }) },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/inside the workspace \(GITHUB_WORKSPACE\)/);
    expect(existsSync(join(project, 'tmp')) ? readdirSync(join(project, 'tmp')) : []).toEqual([]);
  });
});
