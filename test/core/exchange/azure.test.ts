import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialSet } from '../../../src/core/credentials/credential-set.ts';
import { isWifError, type WifError } from '../../../src/core/errors.ts';
import { parseAzureTargetConfig, runAzureTarget } from '../../../src/core/exchange/azure.ts';
import { CLI_FLAGS, OptionReader } from '../../../src/core/exchange/options.ts';
import type { TargetContext } from '../../../src/core/exchange/target.ts';
import { obtainToken } from '../../../src/core/token/obtain.ts';
import type { TokenSource } from '../../../src/core/token/source.ts';
import type { FaultInjector } from '../../../src/sandbox/faults.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import type { MintOptions, TokenProfile } from '../../../src/sandbox/oidc/mint.ts';

/**
 * The Azure exchange in process against the sandbox's Entra ID emulator. The emulator's CA is
 * added to this process's default trust store (what NODE_EXTRA_CA_CERTS does for a job), so
 * the SDK is configured exactly as in production apart from the authority host.
 */
let sandbox: Sandbox;
let faults: FaultInjector;
const log: string[] = [];
let tenantId: string;
let clientId: string;
let authorityHost: string;

beforeAll(async () => {
  sandbox = await startSandbox({ log: (line) => log.push(line) });
  faults = sandbox.faults.get('azure')!;
  tenantId = sandbox.env['AZURE_TENANT_ID']!;
  clientId = sandbox.env['AZURE_CLIENT_ID']!;
  authorityHost = sandbox.env['AZURE_AUTHORITY_HOST']!;
  setDefaultCACertificates([
    ...getCACertificates('default'),
    readFileSync(sandbox.env['WIF_AZURE_CA_FILE']!, 'utf8'),
  ]);
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  faults.clear();
  log.length = 0;
});

function config(raw: Record<string, string> = {}) {
  return parseAzureTargetConfig(
    new OptionReader(
      { 'client-id': clientId, 'tenant-id': tenantId, 'authority-host': authorityHost, ...raw },
      CLI_FLAGS,
    ),
  );
}

function context(
  options: {
    profile?: TokenProfile;
    mint?: MintOptions;
    env?: Record<string, string>;
    refreshFile?: string;
  } = {},
): TargetContext & { lines: string[] } {
  const lines: string[] = [];
  const source: TokenSource = {
    spec: { kind: 'env', variable: 'TEST_TOKEN' },
    description: 'the test issuer',
    mintsPerAudience: true,
    fetch: (audience) =>
      sandbox.issuer.mint(options.profile, {
        ...(audience === undefined ? {} : { audience }),
        ...options.mint,
      }),
  };
  return {
    lines,
    env: options.env ?? {},
    token: (audience) => obtainToken(source, { audience }),
    log: (line) => lines.push(line),
    refreshTokenFile: () => options.refreshFile,
    wifCommand: ['wif'],
    loginAttempted: () => undefined,
  };
}

async function refusal(promise: Promise<unknown>): Promise<WifError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWifError(error)) throw new Error(`expected a WifError, got ${String(error)}`);
  return error;
}

const names = (set: CredentialSet) =>
  Object.fromEntries(set.plan.env.map((v) => [v.name, v.value]));
const refusedRequests = () => log.filter((l) => l.startsWith('azure: token refused')).length;

describe('Azure exchange against the Entra ID emulator', () => {
  it('proves the federation with an ARM token, then plans the SDK and Terraform variables and a secret token file', async () => {
    const set = await runAzureTarget(
      'azure',
      config({ 'subscription-id': '5ab5c0de-0000-4000-8000-000000000042' }),
      context(),
    );
    expect(names(set)).toEqual({
      AZURE_CLIENT_ID: clientId,
      AZURE_TENANT_ID: tenantId,
      AZURE_AUTHORITY_HOST: authorityHost,
      AZURE_SUBSCRIPTION_ID: '5ab5c0de-0000-4000-8000-000000000042',
      ARM_CLIENT_ID: clientId,
      ARM_TENANT_ID: tenantId,
      ARM_SUBSCRIPTION_ID: '5ab5c0de-0000-4000-8000-000000000042',
      ARM_USE_OIDC: 'true',
    });
    expect(set.plan.files).toEqual([
      expect.objectContaining({
        fileName: 'azure-federated-token',
        secret: true,
        pathEnv: ['AZURE_FEDERATED_TOKEN_FILE', 'ARM_OIDC_TOKEN_FILE_PATH'],
        pathOutputs: ['federated-token-file'],
      }),
    ]);
    expect(set.plan.outputs.map((o) => o.name)).toEqual([
      'client-id',
      'tenant-id',
      'expires-at',
      'subscription-id',
    ]);
    // The proof token is held as a secret value (masked) but not handed out without access-token-scope.
    expect(set.values.find((v) => v.name === 'access-token')?.secret).toBe(true);
  });

  it('in refresh mode points both file variables at the refresher file and writes no token file', async () => {
    const set = await runAzureTarget(
      'azure',
      config({ refresh: 'true' }),
      context({ refreshFile: '/run/wif-refresh-x/oidc-abc' }),
    );
    expect(names(set)).toMatchObject({
      AZURE_FEDERATED_TOKEN_FILE: '/run/wif-refresh-x/oidc-abc',
      ARM_OIDC_TOKEN_FILE_PATH: '/run/wif-refresh-x/oidc-abc',
    });
    expect(set.plan.files).toEqual([]);
    expect(
      set.values.some((v) => v.value.split('.').length === 3 && v.name === 'federated-token'),
    ).toBe(false);
  });

  it('with export-env false keeps the identity out of the environment (several identities per job)', async () => {
    const set = await runAzureTarget(
      'azure:second',
      config({ 'export-env': 'false' }),
      context({ env: { AZURE_FEDERATED_TOKEN_FILE: '/earlier' } }),
    );
    expect(set.plan.env).toEqual([]);
    expect(set.plan.files).toEqual([
      expect.objectContaining({
        fileName: 'azure-second-federated-token',
        pathEnv: [],
        pathOutputs: ['federated-token-file'],
      }),
    ]);
  });

  it('exports ARM_ENVIRONMENT for a sovereign cloud', async () => {
    // The sandbox tenant answers for any cloud's scope; the point is what gets exported.
    const set = await runAzureTarget(
      'azure',
      config({ environment: 'azureusgovernment', audience: 'api://AzureADTokenExchange' }),
      context(),
    );
    expect(names(set)['ARM_ENVIRONMENT']).toBe('usgovernment');
  });

  it('refuses to clobber Azure credentials an earlier step exported, before asking for a token', async () => {
    const ctx = context({ env: { AZURE_FEDERATED_TOKEN_FILE: '/tmp/earlier-token' } });
    const e = await refusal(runAzureTarget('azure', config(), ctx));
    expect(e.oneLine()).toMatch(
      /^Azure credentials are already in the environment \(AZURE_FEDERATED_TOKEN_FILE.*Add --overwrite to replace them, or --export-env false to keep both/,
    );
    expect(e.oneLine()).not.toMatch(/overwrite: true|export-env: false/);
    await expect(
      runAzureTarget('azure', config({ overwrite: 'true' }), ctx),
    ).resolves.toBeDefined();
    // The same identity set by the job itself is not a clash.
    await expect(
      runAzureTarget('azure', config(), context({ env: { AZURE_CLIENT_ID: clientId } })),
    ).resolves.toBeDefined();
  });

  it('fails a refused federated credential (AADSTS70021) after exactly one request', async () => {
    const e = await refusal(
      runAzureTarget('azure', config({ audience: 'https://github.com/octo-org' }), context()),
    );
    expect(e.code).toBe('denied');
    expect(e.message).toMatch(
      /^Entra ID refused the token for app .* AADSTS70021: No matching federated identity record found/,
    );
    expect(e.fix).toContain("audience 'https://github.com/octo-org'");
    expect(refusedRequests()).toBe(1);
  });

  it('names the subject when it does not match (AADSTS700213)', async () => {
    const e = await refusal(
      runAzureTarget(
        'azure',
        config(),
        context({ profile: { platform: 'github', ref: 'refs/heads/feature' } }),
      ),
    );
    expect(e.message).toContain('AADSTS700213');
    expect(e.fix).toContain("subject 'repo:octo-org/octo-repo:ref:refs/heads/feature'");
  });

  it('with explain-on-failure prints the policy trace of the refused credential, then fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wif-explain-'));
    const file = join(dir, 'credentials.json');
    // What `az ad app federated-credential list` prints for the sandbox app.
    writeFileSync(
      file,
      JSON.stringify([
        {
          name: 'main',
          issuer: sandbox.issuer.url,
          subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
          audiences: ['api://AzureADTokenExchange'],
        },
      ]),
    );
    const ctx = context({ profile: { platform: 'github', ref: 'refs/heads/feature' } });
    const e = await refusal(runAzureTarget('azure', config({ 'explain-on-failure': file }), ctx));
    expect(e.message).toContain('AADSTS700213');
    expect(e.fix).toBe(
      `The explanation above, from ${file}, shows which condition this token fails and why.`,
    );
    const trace = ctx.lines.join('\n');
    expect(trace).toContain('DENIED  Azure federated credentials');
    expect(trace).toMatch(/✗ .*sub.*repo:octo-org\/octo-repo:ref:refs\/heads\/feature/);
    writeFileSync(file, 'not json');
    const again = context({ profile: { platform: 'github', ref: 'refs/heads/feature' } });
    const unexplained = await refusal(
      runAzureTarget('azure', config({ 'explain-on-failure': file }), again),
    );
    // Nothing was explained, so the fix still says how to get an explanation.
    expect(unexplained.fix).toContain('run `wif explain`');
    expect(again.lines.filter((l) => l.includes('explain-on-failure'))).toEqual([
      `azure: explain-on-failure: ${file} was not evaluated: it is not JSON`,
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unknown tenant is a permanent AADSTS90002, not a vague resolution error', async () => {
    const e = await refusal(
      runAzureTarget(
        'azure',
        config({ 'tenant-id': '00000000-0000-4000-8000-00000000dead' }),
        context(),
      ),
    );
    expect(e.transient).toBe(false);
    expect(e.message).toContain('AADSTS90002');
  });

  it('retries throttling with backoff and succeeds', async () => {
    faults.set({ throttleRate: 1, remaining: 2 });
    const ctx = context();
    await runAzureTarget('azure', config(), ctx);
    expect(ctx.lines.filter((l) => l.includes('transient Entra ID failure'))).toHaveLength(2);
  });

  it('gives up on a persistent outage after retry-max-attempts attempts, saying it was transient', async () => {
    faults.set({ errorRate: 1, remaining: 10 });
    const e = await refusal(
      runAzureTarget('azure', config({ 'retry-max-attempts': '3' }), context()),
    );
    expect(e.transient).toBe(true);
    expect(e.message).toMatch(/throttling or unavailable .*AADSTS90006/);
    expect(faults.settings.remaining).toBe(7);
  });
});
