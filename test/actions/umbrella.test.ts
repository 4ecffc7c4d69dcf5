import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { findLeaks, runAction, type ActionRun } from '../support/runner.ts';

/**
 * The root action with all three clouds in one step. Every target runs concurrently against
 * the sandbox, then the official SDKs — each in a fresh process with only what the step
 * exported — prove the credentials work: GetCallerIdentity through the AWS default chain, an
 * access token through Google Application Default Credentials, an Entra token through
 * DefaultAzureCredential.
 */
let sandbox: Sandbox;
let run: ActionRun;
let targets: string;
const probes: Record<string, Record<string, unknown>> = {};
const files: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  targets = [
    'aws:',
    '  type: aws',
    '  role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
    '  region: us-east-1',
    `  sts-endpoint: ${sandbox.urls['aws-sts']!['sts']!}`,
    'gcp:',
    '  type: gcp',
    `  workload-identity-provider: ${sandbox.env['WIF_GCP_WORKLOAD_IDENTITY_PROVIDER']!}`,
    `  service-account: ${sandbox.env['WIF_GCP_SERVICE_ACCOUNT']!}`,
    `  sts-endpoint: ${sandbox.urls['gcp']!['sts']!}`,
    `  iamcredentials-endpoint: ${sandbox.urls['gcp']!['iamcredentials']!}`,
    'azure:',
    '  type: azure',
    `  client-id: ${sandbox.env['AZURE_CLIENT_ID']!}`,
    `  tenant-id: ${sandbox.env['AZURE_TENANT_ID']!}`,
    `  authority-host: ${sandbox.env['AZURE_AUTHORITY_HOST']!}`,
  ].join('\n');
  const ca = { NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']! };
  run = await runAction('.', {
    inputs: { targets },
    // Worker threads whatever this machine's core count, so every check below runs over them.
    env: { ...ca, WIF_EXCHANGE_THREADS: 'workers' },
    oidc: sandbox.issuer.addJob(),
    afterMain: async (main) => {
      files.push(...Object.values(main.env).filter((v) => v.startsWith('/') && existsSync(v)));
      const env = { ...main.env, HOME: '/nonexistent' };
      const [aws, gcp, azure] = await Promise.all([
        runProbe('aws-caller-identity.mjs', env),
        runProbe('gcp-adc.mjs', env),
        runProbe('azure-default-credential.mjs', { ...env, ...ca }),
      ]);
      Object.assign(probes, { aws, gcp, azure });
    },
  });
}, 120_000);
afterAll(async () => {
  run.dispose();
  await sandbox.close();
});

describe('the umbrella action with AWS, GCP and Azure in one step', () => {
  it("runs every target and exports each cloud's variables, outputs named per target", () => {
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(run.main.env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(run.main.env['GOOGLE_APPLICATION_CREDENTIALS']).toBeTruthy();
    expect(run.main.env['AZURE_FEDERATED_TOKEN_FILE']).toBeTruthy();
    expect(run.main.outputs['aws-aws-account-id']).toBe('111122223333');
    expect(Object.keys(run.main.outputs).some((k) => k.startsWith('gcp-'))).toBe(true);
    expect(Object.keys(run.main.outputs).some((k) => k.startsWith('azure-'))).toBe(true);
  });

  it('runs each target in a worker thread of its own, from the bundle', () => {
    const threads = run.main.commands
      .filter((c) => c.command === 'debug')
      .map((c) => /^wif: (\w+): exchange runs in worker thread (\d+)$/.exec(c.value))
      .filter((m) => m !== null);
    expect(threads.map((m) => m[1]).sort()).toEqual(['aws', 'azure', 'gcp']);
    expect(new Set(threads.map((m) => m[2])).size).toBe(3);
    expect(threads.every((m) => Number(m[2]) > 0)).toBe(true);
  });

  it('hands the official SDKs working credentials, unchanged', () => {
    expect(probes['aws']).toMatchObject({ ok: true, account: '111122223333' });
    expect(probes['gcp']).toMatchObject({ ok: true });
    expect(probes['azure']).toMatchObject({ ok: true });
  });

  it('leaks no credential value into the log, outputs, state or summary', () => {
    const secrets = [
      run.main.env['AWS_SECRET_ACCESS_KEY'],
      run.main.env['AWS_SESSION_TOKEN'],
      typeof probes['gcp']?.['token'] === 'string' ? probes['gcp']['token'] : undefined,
    ].filter((s): s is string => s !== undefined && s.length > 8);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) {
      expect(findLeaks({ ...run.main, env: {} }, secret)).toEqual([]);
      expect(findLeaks(run.post!, secret)).toEqual([]);
    }
    expect(run.main.summary).toMatch(/aws/);
    expect(run.main.summary).toMatch(/gcp/);
    expect(run.main.summary).toMatch(/azure/);
  });

  it('post step removes every credential file and blanks the variables', () => {
    expect(run.post?.exitCode).toBe(0);
    for (const file of files) expect(existsSync(file), file).toBe(false);
    expect(run.post?.env['AWS_ACCESS_KEY_ID']).toBe('');
    expect(run.post?.env['GOOGLE_APPLICATION_CREDENTIALS']).toBe('');
    expect(readdirSync(run.runnerTemp)).toEqual([]);
  });
});

describe('the umbrella action when one target fails', () => {
  it('a refusal inside a worker exports nothing and names the target', async () => {
    sandbox.faults.get('azure')!.set({ errorRate: 1, errorCode: 'AADSTS70021' });
    try {
      const failed = await runAction('.', {
        inputs: { targets },
        env: {
          NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!,
          WIF_EXCHANGE_THREADS: 'workers',
        },
        oidc: sandbox.issuer.addJob(),
      });
      expect(failed.main.exitCode).toBe(1);
      expect(failed.main.errors).toEqual([
        expect.stringMatching(/^1 of 3 targets failed — azure: .*AADSTS70021/),
      ]);
      expect(failed.main.env).toEqual({});
      expect(failed.main.outputs).toEqual({});
      expect(readdirSync(failed.runnerTemp)).toEqual([]);
      failed.dispose();
    } finally {
      sandbox.faults.get('azure')!.clear();
    }
  });
});

describe('the umbrella action on the main thread', () => {
  it('runs every target there when told to, with the same result', async () => {
    const main = await runAction('.', {
      inputs: { targets },
      env: {
        NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!,
        WIF_EXCHANGE_THREADS: 'main',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(main.main.exitCode, main.main.stdout + main.main.stderr).toBe(0);
    const debug = main.main.commands.filter((c) => c.command === 'debug').map((c) => c.value);
    expect(debug).toContainEqual(expect.stringMatching(/^wif: 3 targets run on the main thread/));
    expect(debug.some((line) => line.includes('worker thread'))).toBe(false);
    expect(Object.keys(main.main.outputs).sort()).toEqual(Object.keys(run.main.outputs).sort());
    main.dispose();
  });
});

describe('the umbrella action refuses ambiguous configuration', () => {
  it('two targets that would set the same variables fail before anything is exported', async () => {
    const sb = sandbox;
    const targets = [
      'a:',
      '  type: aws',
      '  role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      '  region: us-east-1',
      `  sts-endpoint: ${sb.urls['aws-sts']!['sts']!}`,
      'b:',
      '  type: aws',
      '  role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      '  region: us-east-1',
      `  sts-endpoint: ${sb.urls['aws-sts']!['sts']!}`,
    ].join('\n');
    const clash = await runAction('.', { inputs: { targets }, oidc: sb.issuer.addJob() });
    expect(clash.main.exitCode).toBe(1);
    expect(clash.main.errors).toEqual([
      expect.stringMatching(/Targets "a" and "b" would both set AWS_ACCESS_KEY_ID/),
    ]);
    expect(clash.main.env).toEqual({});
    expect(readdirSync(clash.runnerTemp)).toEqual([]);
    clash.dispose();
  });

  it('no target at all is one clear line', async () => {
    const none = await runAction('.', { oidc: sandbox.issuer.addJob() });
    expect(none.main.errors).toEqual([expect.stringMatching(/No target configured.*aws-role-arn/)]);
    none.dispose();
  });
});

describe('the umbrella action and the source of a wif.yaml', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wif-umbrella-source-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function config(source: string): string {
    const file = join(dir, `wif-${source.replace(/\W/g, '-')}.yaml`);
    writeFileSync(
      file,
      [
        'version: 1',
        `source: ${source}`,
        'targets:',
        '  prod:',
        '    type: aws',
        '    role-arn: arn:aws:iam::111122223333:role/wif-sandbox-deploy',
        '    region: us-east-1',
        `    sts-endpoint: ${sandbox.urls['aws-sts']!['sts']!}`,
      ].join('\n'),
    );
    return file;
  }

  it('refuses a source other than GitHub in one line, and exports nothing', async () => {
    const file = config('gitlab:WIF_ID_TOKEN');
    const run = await runAction('.', { inputs: { config: file }, oidc: sandbox.issuer.addJob() });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      `${file}: source "gitlab:WIF_ID_TOKEN" cannot be used by the GitHub action, which always takes the job's token from GitHub. Remove "source" (or set it to auto or github), or run \`wif federate --config FILE\` in a run: step to use another token source.`,
    ]);
    expect(run.main.env).toEqual({});
    run.dispose();
  });

  it.each(['github', 'auto'])("takes source: %s as the job's own token", async (source) => {
    const run = await runAction('.', {
      inputs: { config: config(source) },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.outputs['prod-aws-account-id']).toBe('111122223333');
    run.dispose();
  });
});

describe('the umbrella action and the Azure CLI', () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), 'wif-fake-az-'));
    writeFileSync(join(bin, 'az'), `#!/bin/sh\necho "$@" >> '${join(bin, 'calls')}'\n`);
    chmodSync(join(bin, 'az'), 0o755);
  });
  afterAll(() => {
    rmSync(bin, { recursive: true, force: true });
  });

  const azureTarget = (): string =>
    [
      'infra:',
      '  type: azure',
      `  client-id: ${sandbox.env['AZURE_CLIENT_ID']!}`,
      `  tenant-id: ${sandbox.env['AZURE_TENANT_ID']!}`,
      `  authority-host: ${sandbox.env['AZURE_AUTHORITY_HOST']!}`,
      '  az-login: true',
    ].join('\n');

  it('its post step runs az account clear once main attempted az login', async () => {
    rmSync(join(bin, 'calls'), { force: true });
    const run = await runAction('.', {
      inputs: { targets: azureTarget() },
      env: { NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!, PATH: `${bin}:/usr/bin:/bin` },
      oidc: sandbox.issuer.addJob(),
      // What main records just before `az login`, which the sandbox's custom authority never reaches.
      postState: { 'wif-az-login': 'true' },
    });
    expect(run.post?.exitCode, run.post?.stdout).toBe(0);
    expect(readFileSync(join(bin, 'calls'), 'utf8')).toBe('account clear --output none\n');
    expect(run.post?.log).toContain('wif: cleared the Azure CLI accounts (az account clear).');
    run.dispose();
  });

  it('leaves an Azure CLI alone that main did not log in', async () => {
    rmSync(join(bin, 'calls'), { force: true });
    const run = await runAction('.', {
      inputs: { targets: azureTarget() },
      env: { NODE_EXTRA_CA_CERTS: sandbox.env['WIF_AZURE_CA_FILE']!, PATH: `${bin}:/usr/bin:/bin` },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.log).toContain('az-login: the Azure CLI only knows registered clouds');
    expect(run.post?.exitCode).toBe(0);
    expect(existsSync(join(bin, 'calls'))).toBe(false);
    run.dispose();
  });
});
