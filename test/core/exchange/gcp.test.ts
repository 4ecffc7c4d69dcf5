import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialSet } from '../../../src/core/credentials/credential-set.ts';
import { fileContentIn } from '../../../src/core/credentials/file-content.ts';
import { SecretDirectory } from '../../../src/core/credentials/secret-files.ts';
import { WifError } from '../../../src/core/errors.ts';
import { parseGcpTargetConfig, runGcpTarget } from '../../../src/core/exchange/gcp.ts';
import { CLI_FLAGS, OptionReader } from '../../../src/core/exchange/options.ts';
import type { TargetContext } from '../../../src/core/exchange/target.ts';
import { decodeToken } from '../../../src/core/token/claims.ts';
import { exportToEnvFile } from '../../../src/platforms/env-file-sink.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';

let sandbox: Sandbox;
let gcpLog: string[] = [];
let provider: string;
let serviceAccount: string;
let endpoints: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ log: (line) => gcpLog.push(line) });
  provider = sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!;
  serviceAccount = sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!;
  endpoints = {
    'sts-endpoint': sandbox.urls['gcp']!['sts']!,
    'iamcredentials-endpoint': sandbox.urls['gcp']!['iamcredentials']!,
  };
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  gcpLog = [];
  sandbox.faults.get('gcp')!.clear();
});

interface Harness {
  readonly ctx: TargetContext;
  readonly lines: string[];
}

function harness(
  options: { repository?: string; refreshTokenFile?: string; env?: Record<string, string> } = {},
): Harness {
  const lines: string[] = [];
  const ctx: TargetContext = {
    env: options.env ?? {},
    token: async (audience) => {
      const token = await sandbox.issuer.mint(
        {
          platform: 'github',
          ...(options.repository === undefined ? {} : { repository: options.repository }),
        },
        { audience },
      );
      return { ...decodeToken(token), token };
    },
    log: (line) => lines.push(line),
    refreshTokenFile: () => options.refreshTokenFile,
    wifCommand: ['wif'],
    loginAttempted: () => undefined,
  };
  return { ctx, lines };
}

function config(options: Record<string, string>) {
  return parseGcpTargetConfig(
    new OptionReader(
      {
        'workload-identity-provider': provider,
        ...endpoints,
        'retry-max-attempts': '4',
        ...options,
      },
      CLI_FLAGS,
    ),
    {},
  );
}

async function tokenInfo(query: string): Promise<Record<string, string>> {
  const res = await fetch(`${sandbox.urls['gcp']!['tokeninfo']!}?${query}`);
  return (await res.json()) as Record<string, string>;
}

function outputs(set: CredentialSet): Record<string, string> {
  return Object.fromEntries(set.plan.outputs.map((o) => [o.name, o.value]));
}

async function refusal(promise: Promise<unknown>): Promise<WifError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WifError)) throw new Error(`expected a WifError, got ${String(error)}`);
  return error;
}

const stsCalls = (): number => gcpLog.filter((l) => l.includes('POST /v1/token')).length;

describe('GCP exchange against the sandbox', () => {
  it('impersonates the service account and mints an access token with the scopes and lifetime asked for', async () => {
    const { ctx } = harness();
    const set = await runGcpTarget(
      'gcp',
      config({
        'service-account': serviceAccount,
        'token-format': 'access_token',
        'access-token-scopes':
          'https://www.googleapis.com/auth/cloud-platform,https://www.googleapis.com/auth/userinfo.email',
        'access-token-lifetime': '600',
      }),
      ctx,
    );
    const token = outputs(set)['access_token']!;
    const info = await tokenInfo(`access_token=${encodeURIComponent(token)}`);
    expect(info['email']).toBe(serviceAccount);
    expect(Number(info['expires_in'])).toBeGreaterThan(500);
    expect(Number(info['expires_in'])).toBeLessThanOrEqual(600);
    expect(stsCalls()).toBe(1);
    expect(set.plan.outputs.find((o) => o.name === 'access_token')?.secret).toBe(true);
    expect(outputs(set)['auth_token']).toBeUndefined();
  });

  it('with token-format none proves the impersonation works but hands out no token', async () => {
    const { ctx, lines } = harness();
    const set = await runGcpTarget('gcp', config({ 'service-account': serviceAccount }), ctx);
    expect(gcpLog.some((l) => l.includes(':generateAccessToken'))).toBe(true);
    expect(Object.keys(outputs(set))).not.toContain('access_token');
    expect(Object.keys(outputs(set))).not.toContain('auth_token');
    expect(set.values.map((v) => v.name)).not.toContain('access-token');
    expect(lines.join('\n')).toContain(`verified federation for ${serviceAccount}`);
  });

  it('without a service account hands out the federated token itself, as auth_token too', async () => {
    const { ctx } = harness();
    const set = await runGcpTarget('gcp', config({ 'token-format': 'access_token' }), ctx);
    const info = await tokenInfo(
      `access_token=${encodeURIComponent(outputs(set)['access_token']!)}`,
    );
    expect(info['sub']).toMatch(
      /^principal:\/\/iam\.googleapis\.com\/projects\/123456789012\/locations\/global\/workloadIdentityPools\/ci-pool\/subject\/repo:octo-org\/octo-repo:/,
    );
    expect(outputs(set)['auth_token']).toBe(outputs(set)['access_token']);
  });

  it('mints an ID token for the audience asked for, with the email when asked', async () => {
    const { ctx } = harness();
    const set = await runGcpTarget(
      'gcp',
      config({
        'service-account': serviceAccount,
        'token-format': 'id_token',
        'id-token-audience': 'https://run.example',
        'id-token-include-email': 'true',
      }),
      ctx,
    );
    const info = await tokenInfo(`id_token=${encodeURIComponent(outputs(set)['id_token']!)}`);
    expect(info).toMatchObject({ aud: 'https://run.example', email: serviceAccount });
    expect(set.values.find((v) => v.name === 'id-token')?.expiresAt).toBeInstanceOf(Date);
  });

  it('writes an external_account file whose source is the token file beside it, outside the workspace', async () => {
    const { ctx } = harness({ env: { GITHUB_WORKSPACE: '/work/checkout' } });
    const set = await runGcpTarget('gcp', config({ 'service-account': serviceAccount }), ctx);
    const json = set.plan.files.find((f) => f.fileName === 'gcp-credentials.json')!;
    const subject = set.plan.files.find((f) => f.fileName === 'gcp-subject-token')!;
    expect(subject.secret).toBe(true);
    expect(json.secret).toBe(false);
    expect(json.pathEnv).toEqual([
      'GOOGLE_APPLICATION_CREDENTIALS',
      'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
      'GOOGLE_GHA_CREDS_PATH',
    ]);
    // Data only: the set crosses back from a worker thread as a structured clone.
    expect(structuredClone(set)).toEqual(set);
    const document = JSON.parse(fileContentIn(json, '/runner/temp/wif-abc')) as Record<
      string,
      unknown
    >;
    expect(document).toMatchObject({
      type: 'external_account',
      audience: `//iam.googleapis.com/${provider}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: endpoints['sts-endpoint'],
      service_account_impersonation_url: `${endpoints['iamcredentials-endpoint']}/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
      credential_source: {
        file: '/runner/temp/wif-abc/gcp-subject-token',
        format: { type: 'text' },
      },
    });
    expect(JSON.stringify(document)).not.toContain('ACTIONS_ID_TOKEN');
    expect(() => fileContentIn(json, '/work/checkout/.tmp/wif-abc')).toThrow(
      /inside the workspace \(GITHUB_WORKSPACE\)/,
    );
  });

  it('in refresh mode points the file at the refreshed token file and holds no token itself', async () => {
    const { ctx } = harness({ refreshTokenFile: '/runner/temp/wif-refresh-x/oidc-0123' });
    const set = await runGcpTarget('gcp', config({ refresh: 'true' }), ctx);
    expect(set.plan.files.map((f) => f.fileName)).toEqual(['gcp-credentials.json']);
    const document = JSON.parse(set.plan.files[0]!.content) as { credential_source: unknown };
    expect(document.credential_source).toEqual({
      file: '/runner/temp/wif-refresh-x/oidc-0123',
      format: { type: 'text' },
    });
  });

  it('refuses a refreshed token file inside the workspace before asking for a token', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wif-gcp-ws-'));
    mkdirSync(join(root, 'tmp'));
    const { ctx } = harness({
      refreshTokenFile: join(root, 'tmp', 'oidc-1'),
      env: { GITHUB_WORKSPACE: root },
    });
    const error = await refusal(runGcpTarget('gcp', config({ refresh: 'true' }), ctx));
    expect(error.oneLine()).toMatch(/Refusing to write GCP credentials to .* inside the workspace/);
    expect(stsCalls()).toBe(0);
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps an env file holding only the access token out of the checkout, like the credentials file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wif-gcp-ws-'));
    mkdirSync(join(root, 'tmp'));
    const { ctx } = harness({ env: { CI_PROJECT_DIR: root } });
    const set = await runGcpTarget(
      'gcp',
      config({
        'service-account': serviceAccount,
        'token-format': 'access_token',
        'create-credentials-file': 'false',
      }),
      ctx,
    );
    expect(set.plan.files).toEqual([]);
    await expect(
      exportToEnvFile([set], () => SecretDirectory.create(join(root, 'tmp'))),
    ).rejects.toThrow(
      /^Refusing to write GCP credentials to .*: it is inside the workspace \(CI_PROJECT_DIR\)/,
    );
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });

  it('a second identity with export-env false keeps its own file and sets no variable', async () => {
    const { ctx } = harness({ env: { GOOGLE_APPLICATION_CREDENTIALS: '/runner/first.json' } });
    const set = await runGcpTarget(
      'gcp:analytics',
      config({ 'export-env': 'false', 'project-id': 'analytics-proj' }),
      ctx,
    );
    expect(set.plan.env).toEqual([]);
    expect(set.plan.files.map((f) => [f.fileName, f.pathEnv, f.pathOutputs])).toEqual([
      ['gcp-analytics-subject-token', [], []],
      ['gcp-analytics-credentials.json', [], ['credentials_file_path']],
    ]);
    expect(outputs(set)['project_id']).toBe('analytics-proj');
  });

  it('does not clobber credentials an earlier step exported', async () => {
    const { ctx } = harness({ env: { GOOGLE_APPLICATION_CREDENTIALS: '/elsewhere.json' } });
    const error = await refusal(runGcpTarget('gcp', config({}), ctx));
    expect(error.oneLine()).toMatch(
      /already in the environment \(GOOGLE_APPLICATION_CREDENTIALS.*Add --overwrite to replace them, or --export-env false to keep both/,
    );
    // The fix names options in the syntax of the front door in use (here the CLI's flags).
    expect(error.oneLine()).not.toMatch(/overwrite: true|export-env: false/);
  });
});

describe('GCP exchange: refusals fail once, transient failures are retried', () => {
  it('a token from another repository is refused by the attribute condition after one STS call', async () => {
    const { ctx } = harness({ repository: 'evil-org/octo-repo' });
    const error = await refusal(
      runGcpTarget('gcp', config({ 'service-account': serviceAccount }), ctx),
    );
    expect(error.code).toBe('denied');
    expect(error.transient).toBe(false);
    expect(error.oneLine()).toMatch(
      /^GCP STS token exchange for projects\/123456789012\/.* failed: unauthorized_client: .*`wif explain`/,
    );
    expect(stsCalls()).toBe(1);
  });

  it('a lifetime over an hour is refused by IAM with the org policy named', async () => {
    const { ctx } = harness();
    const error = await refusal(
      runGcpTarget(
        'gcp',
        config({
          'service-account': serviceAccount,
          'token-format': 'access_token',
          'access-token-lifetime': '7200',
        }),
        ctx,
      ),
    );
    expect(error.oneLine()).toMatch(
      /generateAccessToken for deployer@.* failed: INVALID_ARGUMENT: .*more than 1 hour.*constraints\/iam\.allowServiceAccountCredentialLifetimeExtension/,
    );
  });

  it('impersonating an account without the binding names the role to grant', async () => {
    const { ctx } = harness();
    const error = await refusal(
      runGcpTarget(
        'gcp',
        config({
          'service-account': 'other@wif-sandbox.iam.gserviceaccount.com',
          'token-format': 'access_token',
        }),
        ctx,
      ),
    );
    expect(error.code).toBe('denied');
    expect(error.oneLine()).toMatch(
      /PERMISSION_DENIED: Permission 'iam\.serviceAccounts\.getAccessToken' denied.*Grant roles\/iam\.workloadIdentityUser on other@wif-sandbox\.iam\.gserviceaccount\.com .*principalSet:\/\/iam\.googleapis\.com\/projects\/123456789012\/locations\/global\/workloadIdentityPools\/ci-pool\//,
    );
  });

  it('retries a throttled STS (429) until it answers, without the library retrying on its own', async () => {
    const { ctx, lines } = harness();
    sandbox.faults.get('gcp')!.set({ throttleRate: 1, remaining: 2 });
    const set = await runGcpTarget(
      'gcp',
      config({ 'service-account': serviceAccount, 'token-format': 'access_token' }),
      ctx,
    );
    expect(outputs(set)['access_token']).toMatch(/^ya29\./);
    expect(lines.filter((l) => l.includes('transient Google failure'))).toHaveLength(2);
    expect(stsCalls()).toBe(3);
  });

  it('retries a reset connection', async () => {
    const { ctx, lines } = harness();
    sandbox.faults.get('gcp')!.set({ resetRate: 1, remaining: 1 });
    const set = await runGcpTarget('gcp', config({ 'token-format': 'access_token' }), ctx);
    expect(outputs(set)['access_token']).toMatch(/^ya29\./);
    expect(lines.filter((l) => l.includes('transient Google failure'))).toHaveLength(1);
  });

  it('gives up after retry-max-attempts with the last error', async () => {
    const { ctx } = harness();
    sandbox.faults.get('gcp')!.set({ errorRate: 1, errorCode: 'UNAVAILABLE', remaining: 10 });
    const error = await refusal(runGcpTarget('gcp', config({ 'retry-max-attempts': '2' }), ctx));
    expect(error.transient).toBe(true);
    expect(error.oneLine()).toMatch(/STS token exchange .* failed: UNAVAILABLE/);
    expect(stsCalls()).toBe(2);
  });
});
