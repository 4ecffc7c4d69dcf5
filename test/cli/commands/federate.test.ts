import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { runCli } from '../../support/cli.ts';

/**
 * `wif federate` from the bundle with AWS and GCP targets in worker threads of their own
 * (forced: this machine may have too few cores for `auto` to choose them).
 */
let sandbox: Sandbox;
let dir: string;
let config: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dir = mkdtempSync(join(tmpdir(), 'wif-federate-cli-'));
  config = join(dir, 'wif.yaml');
  writeFileSync(
    config,
    [
      'version: 1',
      'source: github',
      'targets:',
      '  prod:',
      '    type: aws',
      '    role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      '    region: us-east-1',
      `    sts-endpoint: ${sandbox.urls['aws-sts']!['sts']!}`,
      '  analytics:',
      '    type: gcp',
      `    workload-identity-provider: ${sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!}`,
      `    service-account: ${sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!}`,
      `    sts-endpoint: ${sandbox.urls['gcp']!['sts']!}`,
      `    iamcredentials-endpoint: ${sandbox.urls['gcp']!['iamcredentials']!}`,
    ].join('\n'),
  );
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

function env(threads: string): Record<string, string> {
  const job = sandbox.issuer.addJob();
  return {
    ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
    WIF_EXCHANGE_THREADS: threads,
  };
}

const args = (): string[] => [
  'federate',
  '--config',
  config,
  '--format',
  'json',
  '--output-dir',
  dir,
];

describe('wif federate', () => {
  it('runs each target in a worker thread and exports both clouds at once', async () => {
    const result = await runCli(args(), { env: env('workers') });
    expect(result.exitCode, result.stderr).toBe(0);
    const threads = [
      ...result.stderr.matchAll(/^wif: (\w+): exchange runs in worker thread (\d+)$/gm),
    ];
    expect(threads.map((m) => m[1]).sort()).toEqual(['analytics', 'prod']);
    expect(new Set(threads.map((m) => m[2])).size).toBe(2);
    const document = JSON.parse(result.stdout) as { env: Record<string, string> };
    expect(document.env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    const credentials = document.env['GOOGLE_APPLICATION_CREDENTIALS']!;
    const source = (
      JSON.parse(readFileSync(credentials, 'utf8')) as { credential_source: { file: string } }
    ).credential_source.file;
    expect(source).toBe(join(dirname(credentials), 'gcp-analytics-subject-token'));
    expect(existsSync(source)).toBe(true);
  });

  it('exports nothing when one target fails in its worker, and names it', async () => {
    sandbox.faults.get('aws-sts')!.set({ errorRate: 1, errorCode: 'AccessDenied' });
    try {
      const result = await runCli(args(), { env: env('workers') });
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/Target "prod" failed: .*AccessDenied/);
    } finally {
      sandbox.faults.get('aws-sts')!.clear();
    }
  });

  it('refuses a WIF_EXCHANGE_THREADS value it does not know', async () => {
    const result = await runCli(args(), { env: env('many') });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/WIF_EXCHANGE_THREADS must be auto, workers or main, not "many"/);
  });
});
