import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type IssuerHandle } from '../../src/sandbox/oidc/issuer.ts';
import { findLeaks, runAction, type ActionRun } from '../support/runner.ts';

let issuer: IssuerHandle;
beforeAll(async () => {
  issuer = await startIssuer();
});
afterAll(async () => {
  await issuer.close();
});

describe('actions/token on a runner', () => {
  let run: ActionRun;
  let token = '';
  let tokenFile = '';
  let fileMode = 0;
  let dirMode = 0;

  beforeAll(async () => {
    const job = issuer.addJob({ environment: 'prod' });
    run = await runAction('actions/token', {
      inputs: { audience: 'sts.amazonaws.com', 'export-path-as': 'AWS_WEB_IDENTITY_TOKEN_FILE' },
      oidc: job,
      afterMain: (main) => {
        tokenFile = main.outputs['token-file'] ?? '';
        if (existsSync(tokenFile)) {
          token = readFileSync(tokenFile, 'utf8');
          fileMode = statSync(tokenFile).mode & 0o777;
          dirMode = statSync(dirname(tokenFile)).mode & 0o777;
        }
      },
    });
  });
  afterAll(() => {
    run.dispose();
  });

  it('mints a token for the audience and writes it to a 0600 file in a 0700 directory under RUNNER_TEMP', () => {
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(tokenFile.startsWith(run.runnerTemp)).toBe(true);
    expect(fileMode).toBe(0o600);
    expect(dirMode).toBe(0o700);
    expect(decodeJwt(token).aud).toBe('sts.amazonaws.com');
  });

  it('outputs the non-secret claims, and exports the path for later steps', () => {
    expect(run.main.outputs['subject']).toBe('repo:octo-org/octo-repo:environment:prod');
    expect(run.main.outputs['issuer']).toBe(issuer.url);
    expect(run.main.outputs['audience']).toBe('sts.amazonaws.com');
    expect(JSON.parse(run.main.outputs['claims']!)).toMatchObject({
      environment: 'prod',
      repository: 'octo-org/octo-repo',
    });
    expect(run.main.env['AWS_WEB_IDENTITY_TOKEN_FILE']).toBe(tokenFile);
  });

  it('never shows the token unmasked in the log, outputs, state, env or job summary', () => {
    expect(token).not.toBe('');
    expect(run.main.masks).toContain(token);
    expect(findLeaks(run.main, token)).toEqual([]);
    expect(findLeaks(run.post!, token)).toEqual([]);
  });

  it('summarises what was obtained by name and expiry only', () => {
    expect(run.main.summary).toContain('oidc-token');
    expect(run.main.summary).toContain('OIDC token for sts.amazonaws.com');
  });

  it('post step removes the file and its directory and blanks the exported variable', () => {
    expect(run.post?.exitCode).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
    expect(existsSync(dirname(tokenFile))).toBe(false);
    expect(run.post?.env['AWS_WEB_IDENTITY_TOKEN_FILE']).toBe('');
    expect(readdirSync(run.runnerTemp)).toEqual([]);
  });
});

describe('actions/token failures: one clear line, non-zero exit, nothing left behind', () => {
  async function failing(
    options: Parameters<typeof runAction>[1],
  ): Promise<{ line: string; run: ActionRun }> {
    const run = await runAction('actions/token', options);
    try {
      expect(run.main.exitCode).toBe(1);
      expect(run.main.errors).toHaveLength(1);
      expect(`${run.main.stdout}${run.main.stderr}`).not.toMatch(/^\s+at /m);
      expect(readdirSync(run.runnerTemp)).toEqual([]);
      expect(run.main.outputs).toEqual({});
      expect(run.post?.exitCode).toBe(0);
      return { line: run.main.errors[0]!, run };
    } finally {
      run.dispose();
    }
  }

  it('without id-token: write, says which permission to add', async () => {
    const { line } = await failing({ inputs: { audience: 'sts.amazonaws.com' } });
    expect(line).toMatch(/permissions: id-token: write/);
  });

  it("after the job completed, relays GitHub's refusal", async () => {
    const job = issuer.addJob();
    job.complete();
    const { line } = await failing({ oidc: job });
    expect(line).toMatch(/Completed' state/);
  });

  it('with a wrong request token, says the request was refused', async () => {
    const job = issuer.addJob();
    const { line } = await failing({
      oidc: { requestUrl: job.requestUrl, requestToken: 'not-the-token' },
    });
    expect(line).toMatch(/refused the token request \(HTTP 401\)/);
  });

  it('with an unreachable token URL, gives up within the timeout', async () => {
    const { line } = await failing({
      inputs: { 'timeout-seconds': '2' },
      oidc: { requestUrl: 'http://127.0.0.1:9/idtoken?api-version=2.0', requestToken: 'x' },
    });
    expect(line).toMatch(/GitHub OIDC endpoint/);
  });

  it('with a malformed input, names the input', async () => {
    const { line } = await failing({
      inputs: { 'timeout-seconds': 'soon' },
      oidc: issuer.addJob(),
    });
    expect(line).toBe('Input "timeout-seconds" must be a whole number from 1 to 600, not "soon".');
  });
});
