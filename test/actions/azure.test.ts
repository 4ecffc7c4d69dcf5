import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessToken } from '../../src/sandbox/azure/index.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { findLeaks, runAction, type ActionRun } from '../support/runner.ts';

/**
 * actions/azure, built, against the sandbox's Entra ID emulator. The job trusts the emulator's
 * self-signed CA through NODE_EXTRA_CA_CERTS (a real job against login.microsoftonline.com
 * needs nothing of the kind); everything else the SDK reads comes from what the action exported.
 */
let sandbox: Sandbox;
let jobEnv: Record<string, string>;
let tenantId: string;
let clientId: string;
let authorityHost: string;
let ca: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  tenantId = sandbox.env['AZURE_TENANT_ID']!;
  clientId = sandbox.env['AZURE_CLIENT_ID']!;
  authorityHost = sandbox.env['AZURE_AUTHORITY_HOST']!;
  ca = readFileSync(sandbox.env['WIF_AZURE_CA_FILE']!, 'utf8');
  jobEnv = { NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']! };
});
afterAll(async () => {
  await sandbox.close();
});

const SUBSCRIPTION = '5ab5c0de-0000-4000-8000-000000000042';

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'client-id': clientId,
    'tenant-id': tenantId,
    'authority-host': authorityHost,
    ...extra,
  };
}

describe('actions/azure exporting a federated identity', () => {
  let run: ActionRun;
  let tokenFile = '';
  let tokenFileMode = 0;
  let tokenFileContent = '';
  let viaDefault: Record<string, unknown> = {};
  let viaWorkload: Record<string, unknown> = {};
  beforeAll(async () => {
    run = await runAction('actions/azure', {
      inputs: inputs({
        'subscription-id': SUBSCRIPTION,
        'access-token-scope': 'https://vault.azure.net/.default',
      }),
      oidc: sandbox.issuer.addJob(),
      env: jobEnv,
      afterMain: async (main) => {
        tokenFile = main.env['AZURE_FEDERATED_TOKEN_FILE'] ?? '';
        if (existsSync(tokenFile)) {
          tokenFileMode = statSync(tokenFile).mode & 0o777;
          tokenFileContent = readFileSync(tokenFile, 'utf8');
        }
        // A later step: only what the action exported, plus the CA a real job would not need.
        const env = { ...main.env, ...jobEnv, HOME: '/nonexistent' };
        viaDefault = await runProbe('azure-default-credential.mjs', env);
        viaWorkload = await runProbe('azure-default-credential.mjs', {
          ...env,
          WIF_PROBE_CREDENTIAL: 'workload',
        });
      },
    });
  });
  afterAll(() => {
    run.dispose();
  });

  it('proves the federation and exports what the Azure SDKs and Terraform read', () => {
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(run.main.env).toMatchObject({
      AZURE_CLIENT_ID: clientId,
      AZURE_TENANT_ID: tenantId,
      AZURE_AUTHORITY_HOST: authorityHost,
      AZURE_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_CLIENT_ID: clientId,
      ARM_TENANT_ID: tenantId,
      ARM_SUBSCRIPTION_ID: SUBSCRIPTION,
      ARM_USE_OIDC: 'true',
      ARM_OIDC_TOKEN_FILE_PATH: tokenFile,
    });
    // The public cloud is azurerm's default; ARM_ENVIRONMENT is only for the others.
    expect(run.main.env['ARM_ENVIRONMENT']).toBeUndefined();
    expect(run.main.outputs).toMatchObject({
      'client-id': clientId,
      'tenant-id': tenantId,
      'subscription-id': SUBSCRIPTION,
      'federated-token-file': tokenFile,
    });
  });

  it('writes the federated token to a 0600 file outside the workspace', () => {
    expect(tokenFile.startsWith(run.runnerTemp)).toBe(true);
    expect(tokenFileMode).toBe(0o600);
    expect(tokenFileContent.split('.')).toHaveLength(3);
  });

  it('DefaultAzureCredential gets an Entra token from the exported environment, unchanged', async () => {
    expect(viaDefault, JSON.stringify(viaDefault)).toMatchObject({ ok: true });
    const check = await checkAccessToken(String(viaDefault['token']), {
      authorityHost,
      tenantId,
      ca,
      resource: 'https://management.azure.com',
    });
    expect(check.ok).toBe(true);
  });

  it('hands out a masked access token for access-token-scope', async () => {
    const accessToken = run.main.outputs['access-token'] ?? '';
    expect(run.main.masks).toContain(accessToken);
    const check = await checkAccessToken(accessToken, {
      authorityHost,
      tenantId,
      ca,
      resource: 'https://vault.azure.net',
    });
    expect(check.ok).toBe(true);
    // expires-at is when the exported token file stops working: the OIDC token's exp.
    const expiresAt = Date.parse(run.main.outputs['expires-at'] ?? '');
    expect(expiresAt).toBeGreaterThan(Date.now());
  });

  it('leaks neither the federated token nor the access token', () => {
    const secrets = [tokenFileContent, run.main.outputs['access-token'] ?? ''];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(run.main.masks).toContain(secret);
      // Outputs are where access-token is meant to go (masked); everywhere else is a leak.
      const { 'access-token': _given, ...otherOutputs } = run.main.outputs;
      expect(findLeaks({ ...run.main, outputs: otherOutputs }, secret)).toEqual([]);
      expect(findLeaks(run.post!, secret)).toEqual([]);
    }
  });

  it('the post step removes the token file and blanks every variable', () => {
    expect(run.post?.exitCode, run.post?.stdout).toBe(0);
    expect(existsSync(tokenFile)).toBe(false);
    for (const name of [
      'AZURE_CLIENT_ID',
      'AZURE_TENANT_ID',
      'AZURE_FEDERATED_TOKEN_FILE',
      'ARM_OIDC_TOKEN_FILE_PATH',
      'ARM_USE_OIDC',
      'ARM_SUBSCRIPTION_ID',
    ]) {
      expect(run.post?.env[name], name).toBe('');
    }
  });

  it('WorkloadIdentityCredential (what AKS pods use) reads the same variables', () => {
    expect(viaWorkload, JSON.stringify(viaWorkload)).toMatchObject({ ok: true });
  });
});

describe('actions/azure bad input: one clear line each', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'malformed tenant',
      { 'tenant-id': 'contoso' },
      /^Input "tenant-id" "contoso" is neither a tenant GUID nor a domain name\. Use the Directory \(tenant\) ID/,
    ],
    [
      'malformed client ID',
      { 'client-id': 'my-app' },
      /^Input "client-id" "my-app" is not a GUID\. Copy it from the app registration's Overview page/,
    ],
    [
      'unknown environment',
      { environment: 'azuremooncloud' },
      /^Input "environment" must be one of azurecloud, azureusgovernment, azurechinacloud, not "azuremooncloud"\.$/,
    ],
    [
      'scope for a user, not an app',
      { 'access-token-scope': 'https://graph.microsoft.com/User.Read' },
      /^Input "access-token-scope" .* must end in \/\.default/,
    ],
  ];

  it.each(cases)('%s', async (_name, extra, line) => {
    const run = await runAction('actions/azure', {
      inputs: inputs(extra),
      oidc: sandbox.issuer.addJob(),
      env: jobEnv,
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(line);
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    run.dispose();
  });

  it('missing permission', async () => {
    const run = await runAction('actions/azure', { inputs: inputs(), env: jobEnv });
    expect(run.main.errors).toEqual([expect.stringMatching(/permissions: id-token: write/)]);
    run.dispose();
  });

  it('a refused federated credential fails with its AADSTS code and the claims to match (AADSTS70021)', async () => {
    const run = await runAction('actions/azure', {
      inputs: inputs({ audience: 'api://SomethingElse' }),
      oidc: sandbox.issuer.addJob(),
      env: jobEnv,
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(
      /^Entra ID refused the token for app .*: AADSTS70021: No matching federated identity record found .* a federated credential with exactly this token's/,
    );
    expect(run.main.errors[0]).toContain("audience 'api://SomethingElse'");
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    run.dispose();
  });

  it('a subject for another branch names that subject (AADSTS700213)', async () => {
    const run = await runAction('actions/azure', {
      inputs: inputs(),
      oidc: sandbox.issuer.addJob({ ref: 'refs/heads/feature' }),
      env: jobEnv,
    });
    expect(run.main.errors[0]).toMatch(
      /AADSTS700213: .*subject 'repo:octo-org\/octo-repo:ref:refs\/heads\/feature' \(matching is exact and case-sensitive\)/,
    );
    run.dispose();
  });

  it('credentials already exported by an earlier step are not clobbered', async () => {
    const run = await runAction('actions/azure', {
      inputs: inputs(),
      oidc: sandbox.issuer.addJob(),
      env: { ...jobEnv, AZURE_FEDERATED_TOKEN_FILE: '/home/runner/earlier-token' },
    });
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /^Azure credentials are already in the environment \(AZURE_FEDERATED_TOKEN_FILE.*overwrite: true/,
      ),
    ]);
    run.dispose();
  });

  it('az-login never touches an Azure CLI it did not log in (a custom authority is not a cloud az knows)', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'wif-fake-az-'));
    writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${join(bin, 'calls')}'\n`);
    chmodSync(join(bin, 'az'), 0o755);
    const run = await runAction('actions/azure', {
      inputs: inputs({ 'az-login': 'true' }),
      oidc: sandbox.issuer.addJob(),
      env: { ...jobEnv, PATH: `${bin}:/usr/bin:/bin` },
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.log).toContain('az-login: the Azure CLI only knows registered clouds');
    expect(run.post?.exitCode).toBe(0);
    expect(existsSync(join(bin, 'calls'))).toBe(false);
    run.dispose();
    rmSync(bin, { recursive: true, force: true });
  });

  it('its post step runs az account clear once main attempted az login, whatever main did next', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'wif-fake-az-'));
    writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${join(bin, 'calls')}'\n`);
    chmodSync(join(bin, 'az'), 0o755);
    const run = await runAction('actions/azure', {
      inputs: inputs({ 'az-login': 'true' }),
      oidc: sandbox.issuer.addJob(),
      env: { ...jobEnv, PATH: `${bin}:/usr/bin:/bin` },
      // What main records just before `az login`, which the sandbox's custom authority never reaches.
      postState: { 'wif-az-login': 'true' },
    });
    expect(run.post?.exitCode, run.post?.stdout).toBe(0);
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toBe('account clear --output none\n');
    run.dispose();
    rmSync(bin, { recursive: true, force: true });
  });

  it('az-login without the Azure CLI says so in one line and still exports for the SDKs', async () => {
    const run = await runAction('actions/azure', {
      inputs: inputs({ 'az-login': 'true' }),
      oidc: sandbox.issuer.addJob(),
      env: jobEnv,
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.log).toContain(
      'az-login: the Azure CLI (az) is not on PATH, so it was not logged in',
    );
    expect(run.main.env['AZURE_FEDERATED_TOKEN_FILE']).toBeDefined();
    run.dispose();
  });
});
