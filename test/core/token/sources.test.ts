import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WifError } from '../../../src/core/errors.ts';
import { decodeToken } from '../../../src/core/token/claims.ts';
import { obtainToken } from '../../../src/core/token/obtain.ts';
import { parseTokenSourceSpec } from '../../../src/core/token/source.ts';
import { envTokenSource } from '../../../src/core/token/sources/env.ts';
import { fileTokenSource } from '../../../src/core/token/sources/file.ts';
import { gitlabTokenSource } from '../../../src/core/token/sources/gitlab.ts';
import { githubClaims, signTestToken } from '../../support/jwt.ts';

const dir = mkdtempSync(join(tmpdir(), 'wif-sources-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<WifError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WifError);
  return error as WifError;
}

describe('token source syntax', () => {
  it.each([
    ['github', { kind: 'github' }],
    ['gitlab', { kind: 'gitlab', variable: 'WIF_ID_TOKEN' }],
    ['gitlab:VAULT_ID_TOKEN', { kind: 'gitlab', variable: 'VAULT_ID_TOKEN' }],
    ['file:/var/run/secrets/tokens/vault', { kind: 'file', path: '/var/run/secrets/tokens/vault' }],
    ['env:MY_TOKEN', { kind: 'env', variable: 'MY_TOKEN' }],
  ])('parses %s', (text, spec) => {
    expect(parseTokenSourceSpec(text, {})).toEqual(spec);
  });

  it('detects GitHub and GitLab from their documented variables', () => {
    expect(parseTokenSourceSpec('auto', { GITHUB_ACTIONS: 'true' })).toEqual({ kind: 'github' });
    expect(parseTokenSourceSpec('auto', { GITLAB_CI: 'true' })).toEqual({
      kind: 'gitlab',
      variable: 'WIF_ID_TOKEN',
    });
  });

  it('rejects an unknown source with the list of valid ones', () => {
    const line = (text: string): string => {
      try {
        parseTokenSourceSpec(text, {});
      } catch (error) {
        return (error as WifError).oneLine();
      }
      throw new Error(`${text} was accepted`);
    };
    expect(line('vault')).toMatch(/Unknown token source "vault".*github, gitlab/);
    expect(line('env:1BAD')).toMatch(/invalid variable/);
    expect(line('auto')).toMatch(/Cannot tell which CI platform.*--source/);
  });
});

describe('GitLab source', () => {
  it('reads the variable the job named in id_tokens', async () => {
    const token = await signTestToken(githubClaims());
    await expect(
      gitlabTokenSource('WIF_ID_TOKEN', { WIF_ID_TOKEN: `${token}\n` }).fetch(
        undefined,
        AbortSignal.timeout(1000),
      ),
    ).resolves.toBe(token);
  });

  it('shows the id_tokens block to add when the variable is missing', async () => {
    const error = await failure(
      gitlabTokenSource('VAULT_ID_TOKEN', {}).fetch(
        'https://vault.example.com',
        AbortSignal.timeout(1000),
      ),
    );
    expect(error.oneLine()).toBe(
      'The GitLab job has no ID token in $VAULT_ID_TOKEN. Add to the job: id_tokens: { VAULT_ID_TOKEN: { aud: "https://vault.example.com" } }',
    );
  });
});

describe('file source (projected ServiceAccount token)', () => {
  it('re-reads the file on every fetch, because the kubelet rotates it', async () => {
    const path = join(dir, 'token');
    const source = fileTokenSource(path);
    writeFileSync(path, 'first.token.value');
    await expect(source.fetch(undefined, AbortSignal.timeout(1000))).resolves.toBe(
      'first.token.value',
    );
    writeFileSync(path, 'second.token.value');
    await expect(source.fetch(undefined, AbortSignal.timeout(1000))).resolves.toBe(
      'second.token.value',
    );
  });

  it('says a missing file does not exist and how to mount one', async () => {
    const error = await failure(
      fileTokenSource(join(dir, 'nope')).fetch(undefined, AbortSignal.timeout(1000)),
    );
    expect(error.message).toMatch(/does not exist/);
    expect(error.fix).toMatch(/serviceAccountToken/);
  });

  it('says a directory is a directory', async () => {
    const error = await failure(fileTokenSource(dir).fetch(undefined, AbortSignal.timeout(1000)));
    expect(error.message).toMatch(/is a directory/);
  });
});

describe('obtaining a token', () => {
  it('decodes claims and fails pre-flight with one actionable line', async () => {
    const token = await signTestToken(githubClaims({ aud: 'https://github.com/octo-org' }));
    const error = await failure(
      obtainToken(envTokenSource('T', { T: token }), { audience: 'sts.amazonaws.com' }),
    );
    expect(error.code).toBe('token-invalid');
    expect(error.oneLine()).toMatch(
      /^Token from the variable T: The token's audience is "https:\/\/github.com\/octo-org", not "sts.amazonaws.com". Mint the token/,
    );
  });

  it('rejects a malformed JWT without echoing it', async () => {
    const error = await failure(obtainToken(envTokenSource('T', { T: 'not-a-jwt-secret-value' })));
    expect(error.oneLine()).toMatch(/not a JWT/);
    expect(error.oneLine()).not.toContain('not-a-jwt-secret-value');
  });

  it('returns the verdict instead of throwing when asked to (wif token)', async () => {
    const token = await signTestToken(githubClaims({ exp: 1 }));
    const obtained = await obtainToken(envTokenSource('T', { T: token }), {
      enforcePreflight: false,
    });
    expect(obtained.verdict.ok).toBe(false);
    expect(decodeToken(obtained.token).claims.sub).toBe(
      'repo:octo-org/octo-repo:ref:refs/heads/main',
    );
  });

  it('retries transient failures and stops at permanent ones', async () => {
    let calls = 0;
    const token = await signTestToken(githubClaims());
    const flaky = {
      ...envTokenSource('T', {}),
      fetch: () => {
        calls++;
        if (calls < 3) return Promise.reject(new WifError('network', 'reset', { transient: true }));
        return Promise.resolve(token);
      },
    };
    await expect(obtainToken(flaky, { deadlineMs: 10_000 })).resolves.toMatchObject({ token });
    expect(calls).toBe(3);

    let permanentCalls = 0;
    const refusing = {
      ...envTokenSource('T', {}),
      fetch: () => {
        permanentCalls++;
        return Promise.reject(new WifError('token-request-failed', 'no'));
      },
    };
    await failure(obtainToken(refusing));
    expect(permanentCalls).toBe(1);
  });
});
