import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileContentIn } from '../../../src/core/credentials/file-content.ts';
import { WifError } from '../../../src/core/errors.ts';
import { runInWorker, type WorkerTarget } from '../../../src/core/exchange/in-worker.ts';
import { CLI_FLAGS } from '../../../src/core/exchange/options.ts';
import type { TargetContext } from '../../../src/core/exchange/target.ts';
import { decodeToken } from '../../../src/core/token/claims.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { mainBranchTrustPolicy } from '../../support/trust-policies.ts';

/**
 * The exchange worker entry itself (src/core/exchange/worker.ts, run from source as Node 24
 * runs TypeScript) doing real exchanges against the sandbox: the target crosses as plain
 * options, the token as a string, and the credential set and errors come back whole.
 */
const workerEntry = new URL('../../../src/core/exchange/worker.ts', import.meta.url);
const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
let sandbox: Sandbox;
let scratch: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  scratch = mkdtempSync(join(tmpdir(), 'wif-worker-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(scratch, { recursive: true, force: true });
});

function context(ref = 'refs/heads/main'): { ctx: TargetContext; lines: string[] } {
  const lines: string[] = [];
  const ctx: TargetContext = {
    env: { PATH: process.env['PATH'], GITHUB_WORKSPACE: join(scratch, 'checkout') },
    token: async (audience) => {
      const token = await sandbox.issuer.mint({ platform: 'github', ref }, { audience });
      return { token, claims: decodeToken(token).claims };
    },
    log: (line) => lines.push(line),
    refreshTokenFile: () => undefined,
    wifCommand: ['wif'],
    loginAttempted: () => undefined,
  };
  return { ctx, lines };
}

function aws(options: Record<string, string> = {}): WorkerTarget {
  return {
    name: 'prod',
    audience: 'sts.amazonaws.com',
    spec: {
      type: 'aws',
      name: 'prod',
      door: CLI_FLAGS,
      options: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sandbox.urls['aws-sts']!['sts']!,
        ...options,
      },
    },
  };
}

describe('the exchange worker entry', () => {
  it('assumes an AWS role in its own thread and returns the session', async () => {
    const { ctx, lines } = context();
    let thread = 0;
    const set = await runInWorker(aws(), workerEntry, ctx, (id) => (thread = id));
    expect(thread).toBeGreaterThan(0);
    const env = Object.fromEntries(set.plan.env.map((v) => [v.name, v.value]));
    expect(env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(set.values.every((v) => v.expiresAt instanceof Date)).toBe(true);
    expect(lines.join('\n')).toMatch(/aws prod: assumed arn:aws:sts::111122223333:assumed-role\//);
  });

  it('returns a GCP credentials file that the sink still fills in and guards', async () => {
    const gcp: WorkerTarget = {
      name: 'analytics',
      audience: `https://iam.googleapis.com/${sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!}`,
      spec: {
        type: 'gcp',
        name: 'analytics',
        door: CLI_FLAGS,
        options: {
          'workload-identity-provider': sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!,
          'service-account': sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!,
          'sts-endpoint': sandbox.urls['gcp']!['sts']!,
          'iamcredentials-endpoint': sandbox.urls['gcp']!['iamcredentials']!,
        },
      },
    };
    const set = await runInWorker(gcp, workerEntry, context().ctx);
    const json = set.plan.files.find((f) => f.fileName === 'gcp-analytics-credentials.json')!;
    const document = JSON.parse(fileContentIn(json, '/runner/temp/wif-abc')) as {
      credential_source: { file: string };
    };
    expect(document.credential_source.file).toBe(
      '/runner/temp/wif-abc/gcp-analytics-subject-token',
    );
    expect(() => fileContentIn(json, join(scratch, 'checkout', 'wif-abc'))).toThrow(
      /Refusing to write GCP credentials to .* inside the workspace \(GITHUB_WORKSPACE\)/,
    );
  });

  it('returns a refusal as the same WifError, with the explanation logged from the worker', async () => {
    const policy = join(scratch, 'trust.json');
    const host = new URL(sandbox.issuer.url).host;
    writeFileSync(policy, JSON.stringify(mainBranchTrustPolicy(host)));
    const { ctx, lines } = context('refs/heads/feature');
    const error = await runInWorker(aws({ 'explain-on-failure': policy }), workerEntry, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WifError);
    expect((error as WifError).code).toBe('denied');
    expect((error as WifError).message).toMatch(
      /AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity/,
    );
    expect(lines.join('\n')).toMatch(/✗ .*:sub StringEquals/);
  });
});
