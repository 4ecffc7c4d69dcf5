import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

describe('wif federate with two targets of one cloud', () => {
  let count = 0;
  /** A wif.yaml with prod (us-east-1) and staging (eu-west-1), and a fresh output directory. */
  function twoAwsTargets(staging: readonly string[] = []): { file: string; out: string } {
    const where = join(dir, `two-aws-${++count}`);
    mkdirSync(join(where, 'out'), { recursive: true });
    const aws = (region: string): string[] => [
      '    type: aws',
      '    role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      `    region: ${region}`,
      `    sts-endpoint: ${sandbox.urls['aws-sts']!['sts']!}`,
    ];
    const file = join(where, 'wif.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'source: github',
        'targets:',
        '  prod:',
        ...aws('us-east-1'),
        '  staging:',
        ...aws('eu-west-1'),
        ...staging.map((line) => `    ${line}`),
      ].join('\n'),
    );
    return { file, out: join(where, 'out') };
  }

  it.each(['shell', 'json', 'env-file'])(
    'refuses, in %s format, to let one overwrite the other, and writes nothing',
    async (format) => {
      const { file, out } = twoAwsTargets();
      const result = await runCli(
        ['federate', '--config', file, '--format', format, '--output-dir', out],
        { env: env('main') },
      );
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^wif: Targets "prod" and "staging" would both set AWS_ACCESS_KEY_ID\. Give one of them a profile/,
      );
      expect(readdirSync(out)).toEqual([]);
    },
  );

  it("names each target's outputs after it, as the umbrella action does", async () => {
    const { file, out } = twoAwsTargets(['export-env: false']);
    const shell = await runCli(['federate', '--config', file, '--output-dir', out], {
      env: env('main'),
    });
    expect(shell.exitCode, shell.stderr).toBe(0);
    const names = [...shell.stdout.matchAll(/^export (\w+)=/gm)].map((m) => m[1]);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'AWS_ACCESS_KEY_ID',
        'WIF_PROD_AWS_ACCOUNT_ID',
        'WIF_PROD_AWS_EXPIRATION',
        'WIF_STAGING_AWS_ACCOUNT_ID',
        'WIF_STAGING_AWS_EXPIRATION',
      ]),
    );
    expect(names.filter((n) => n?.startsWith('WIF_AWS_'))).toEqual([]);
    expect(shell.stdout).toContain("export AWS_REGION='us-east-1'");
    expect(shell.stdout).not.toContain('eu-west-1');

    const json = await runCli(
      ['federate', '--config', file, '--format', 'json', '--output-dir', out],
      { env: env('main') },
    );
    expect(json.exitCode, json.stderr).toBe(0);
    const outputs = Object.keys(
      (JSON.parse(json.stdout) as { outputs: Record<string, string> }).outputs,
    );
    expect(outputs.sort()).toEqual([
      'prod-aws-account-id',
      'prod-aws-expiration',
      'prod-aws-role-arn',
      'staging-aws-account-id',
      'staging-aws-expiration',
      'staging-aws-role-arn',
    ]);
  });
});

describe('wif outside GitHub Actions, with ACTIONS_ID_TOKEN_REQUEST_URL set', () => {
  it('prints nothing of the OIDC token and no workflow command', async () => {
    const job = sandbox.issuer.addJob();
    const result = await runCli(
      [
        'aws',
        '--role-arn',
        'arn:aws:iam::111122223333:role/wif-sandbox-deploy',
        '--region',
        'us-east-1',
        '--sts-endpoint',
        sandbox.urls['aws-sts']!['sts']!,
        '--format',
        'json',
      ],
      {
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: job.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.requestToken,
        },
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const printed = `${result.stdout}\n${result.stderr}`;
    expect(printed).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/);
    expect(printed).not.toMatch(/^::/m);
  });
});
