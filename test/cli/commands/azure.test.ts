import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { runCli } from '../../support/cli.ts';

/** `wif azure`, the built CLI (GitLab jobs, Tekton steps), against the sandbox's Entra ID. */
let sandbox: Sandbox;
let out: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  out = mkdtempSync(join(tmpdir(), 'wif-cli-azure-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(out, { recursive: true, force: true });
});

function args(extra: string[] = []): string[] {
  return [
    'azure',
    '--source',
    'env:WIF_ID_TOKEN',
    '--client-id',
    sandbox.env['AZURE_CLIENT_ID']!,
    '--tenant-id',
    sandbox.env['AZURE_TENANT_ID']!,
    '--authority-host',
    sandbox.env['AZURE_AUTHORITY_HOST']!,
    '--output-dir',
    out,
    ...extra,
  ];
}

async function env(audience = 'api://AzureADTokenExchange'): Promise<Record<string, string>> {
  return {
    WIF_ID_TOKEN: await sandbox.issuer.mint(undefined, { audience }),
    NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!,
  };
}

describe('wif azure', () => {
  it('prints the SDK and Terraform variables for a shell, with the token in a 0600 file', async () => {
    const result = await runCli(args(), { env: await env() });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`export AZURE_CLIENT_ID='${sandbox.env['AZURE_CLIENT_ID']!}'`);
    expect(result.stdout).toContain("export ARM_USE_OIDC='true'");
    const file = /export AZURE_FEDERATED_TOKEN_FILE='?([^'\n]+)'?/.exec(result.stdout)?.[1] ?? '';
    expect(file.startsWith(out)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toContain(readFileSync(file, 'utf8'));
    expect(result.stderr).toMatch(
      /Entra ID issued a token for https:\/\/management\.azure\.com\/\.default/,
    );
  });

  it('takes the authority from AZURE_AUTHORITY_HOST, as the sandbox env file and the SDKs set it', async () => {
    const withoutOption = args().filter(
      (arg, i, all) => arg !== '--authority-host' && all[i - 1] !== '--authority-host',
    );
    const result = await runCli(withoutOption, {
      env: { ...(await env()), AZURE_AUTHORITY_HOST: sandbox.env['AZURE_AUTHORITY_HOST']! },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `export AZURE_AUTHORITY_HOST='${sandbox.env['AZURE_AUTHORITY_HOST']!}'`,
    );
  });

  it('exits 2 with one line for a malformed tenant', async () => {
    const result = await runCli([...args(), '--tenant-id', 'not a tenant'], { env: await env() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /--tenant-id "not a tenant" is neither a tenant GUID nor a domain name/,
    );
  });

  it('exits 1 when Entra ID does not know the app: only a change of configuration helps', async () => {
    const result = await runCli(
      [...args(), '--client-id', '00000000-0000-4000-8000-000000000001'],
      { env: await env() },
    );
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/AADSTS700016/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 for an expired token, a failed pre-flight check', async () => {
    const expired = await sandbox.issuer.mint(undefined, {
      audience: 'api://AzureADTokenExchange',
      now: new Date(Date.now() - 3_600_000),
    });
    const result = await runCli(args(), { env: { ...(await env()), WIF_ID_TOKEN: expired } });
    expect(result.exitCode, result.stderr).toBe(1);
  });

  it('exits 1 (denied) with the AADSTS code when the federated credential refuses the token', async () => {
    const result = await runCli(args(['--audience', 'api://Other']), {
      env: await env('api://Other'),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/AADSTS70021/);
  });

  it('refuses to write the federated token or the env file inside the project directory (exit 2)', async () => {
    const project = join(out, 'proj');
    mkdirSync(project, { recursive: true });
    const withOut = args().map((a) => (a === out ? project : a));
    const result = await runCli([...withOut, '--format', 'env-file'], {
      env: { ...(await env()), CI_PROJECT_DIR: project },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /Refusing to write Azure credentials to .*: it is inside the workspace \(CI_PROJECT_DIR\)/,
    );
    expect(readdirSync(project)).toEqual([]);
    expect(result.stdout).toBe('');
  });
});
