import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type IssuerHandle } from '../../src/sandbox/oidc/issuer.ts';
import { runCli } from '../support/cli.ts';
import { githubClaims, nowSeconds, signTestToken } from '../support/jwt.ts';

let issuer: IssuerHandle;
const scratch = mkdtempSync(join(tmpdir(), 'wif-cli-token-'));
beforeAll(async () => {
  issuer = await startIssuer();
});
afterAll(async () => {
  await issuer.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('wif token', () => {
  it('prints the decoded claims and a passing verdict as JSON, without the raw token', async () => {
    const job = issuer.addJob();
    const result = await runCli(
      ['token', '--source', 'github', '--audience', 'sts.amazonaws.com'],
      {
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
        },
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      claims: Record<string, unknown>;
      verdict: { ok: boolean };
      token?: string;
    };
    expect(report.verdict.ok).toBe(true);
    expect(report.claims['aud']).toBe('sts.amazonaws.com');
    expect(report.token).toBeUndefined();
    expect(result.stdout).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });

  it('prints the raw token only with --raw', async () => {
    const token = await signTestToken(githubClaims());
    const result = await runCli(['token', '--source', 'env:T', '--raw'], { env: { T: token } });
    expect((JSON.parse(result.stdout) as { token: string }).token).toBe(token);
  });
});

describe('wif token bad input: one clear line, non-zero exit, no stack trace', () => {
  const cases: [
    string,
    () => Promise<{ args: string[]; env: Record<string, string> }>,
    RegExp,
    number,
  ][] = [
    [
      'missing permission',
      () => Promise.resolve({ args: ['--source', 'github'], env: { GITHUB_ACTIONS: 'true' } }),
      /id-token: write/,
      1,
    ],
    [
      'wrong audience',
      async () => ({
        args: ['--source', 'env:T', '--audience', 'sts.amazonaws.com'],
        env: { T: await signTestToken(githubClaims({ aud: 'api://AzureADTokenExchange' })) },
      }),
      /audience is "api:\/\/AzureADTokenExchange", not "sts.amazonaws.com"/,
      1,
    ],
    [
      'expired',
      async () => ({
        args: ['--source', 'env:T'],
        env: { T: await signTestToken(githubClaims({ exp: nowSeconds() - 600 })) },
      }),
      /expired 10m ago/,
      1,
    ],
    [
      'malformed JWT',
      () => Promise.resolve({ args: ['--source', 'env:T'], env: { T: 'definitely.not-a.jwt' } }),
      /not a valid JWT/,
      1,
    ],
    [
      'unreachable token URL',
      () =>
        Promise.resolve({
          args: ['--source', 'github', '--timeout', '2'],
          env: {
            ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/t?api-version=2.0',
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'x',
          },
        }),
      /GitHub OIDC endpoint/,
      3,
    ],
    [
      'unreadable token file',
      () => Promise.resolve({ args: ['--source', `file:${join(scratch, 'missing')}`], env: {} }),
      /does not exist/,
      1,
    ],
    [
      'unknown source',
      () => Promise.resolve({ args: ['--source', 'vault'], env: {} }),
      /Unknown token source "vault"/,
      2,
    ],
    [
      'unknown flag',
      () => Promise.resolve({ args: ['--audiance', 'x'], env: {} }),
      /Unknown option '--audiance'/,
      2,
    ],
  ];

  it.each(cases)('%s', async (_name, make, line, exitCode) => {
    const { args, env } = await make();
    const before = readdirSync(scratch);
    const result = await runCli(['token', ...args], {
      env: { HOME: scratch, TMPDIR: scratch, ...env },
    });
    const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('::'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.exitCode).toBe(exitCode);
    expect(readdirSync(scratch)).toEqual(before);
  });
});
