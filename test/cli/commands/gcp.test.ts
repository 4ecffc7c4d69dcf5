import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { runCli } from '../../support/cli.ts';
import { runProbe } from '../../support/probe.ts';

let sandbox: Sandbox;
let dir: string;
let flags: string[];

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'wif-gcp-cli-'));
  const provider = sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!;
  const tokenFile = join(dir, 'oidc-token');
  writeFileSync(
    tokenFile,
    await sandbox.issuer.mint(
      { platform: 'github' },
      { audience: `https://iam.googleapis.com/${provider}` },
    ),
    { mode: 0o600 },
  );
  flags = [
    '--source',
    `file:${tokenFile}`,
    '--workload-identity-provider',
    provider,
    '--service-account',
    sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!,
    '--sts-endpoint',
    sandbox.urls['gcp']!['sts']!,
    '--iamcredentials-endpoint',
    sandbox.urls['gcp']!['iamcredentials']!,
    '--output-dir',
    dir,
  ];
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('wif gcp', () => {
  it('writes a credentials file that ADC uses, and prints the variables as JSON', async () => {
    const result = await runCli(['gcp', ...flags, '--format', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const document = JSON.parse(result.stdout) as { env: Record<string, string>; files: string[] };
    expect(document.env['GOOGLE_APPLICATION_CREDENTIALS']).toMatch(
      new RegExp(`^${dir}/wif-[^/]+/gcp-credentials\\.json$`),
    );
    expect(document.env['GOOGLE_CLOUD_PROJECT']).toBe('wif-sandbox');
    const probe = await runProbe('gcp-adc.mjs', { ...document.env, HOME: '/nonexistent' });
    expect(probe).toMatchObject({ ok: true, client: 'IdentityPoolClient' });
  });

  it('prints shell export lines by default', async () => {
    const result = await runCli(['gcp', ...flags]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^export GOOGLE_APPLICATION_CREDENTIALS='.*gcp-credentials\.json'$/m,
    );
  });

  it('a malformed provider is one usage line and exit code 2', async () => {
    const result = await runCli([
      'gcp',
      ...flags,
      '--workload-identity-provider',
      'projects/1/pools/x',
    ]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /--workload-identity-provider "projects\/1\/pools\/x" is not a workload identity provider resource name/,
    );
  });

  it('refuses an env file holding only an access token inside the project directory (exit 2)', async () => {
    const project = mkdtempSync(join(dir, 'project-'));
    const result = await runCli(
      [
        'gcp',
        ...flags,
        '--token-format',
        'access_token',
        '--create-credentials-file',
        'false',
        '--format',
        'env-file',
        '--output-dir',
        project,
      ],
      { env: { CI_PROJECT_DIR: project } },
    );
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^wif: Refusing to write GCP credentials to .*: it is inside the workspace \(CI_PROJECT_DIR\)/m,
    );
    expect(readdirSync(project)).toEqual([]);
    expect(result.stdout).toBe('');
  });
});
