import {
  appendFileSync,
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
import { issuerHost } from '../../src/core/policy/aws.ts';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { findLeaks, runAction, type ActionRun, type StepResult } from '../support/runner.ts';
import { mainBranchTrustPolicy } from '../support/trust-policies.ts';

const ROLE = 'arn:aws:iam::111122223333:role/wif-sandbox-deploy';
let sandbox: Sandbox;
let sts: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  sts = sandbox.urls['aws-sts']!['sts']!;
});
afterAll(async () => {
  await sandbox.close();
});

function secretsOf(step: StepResult): string[] {
  return ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
    .map((n) => step.env[n] ?? '')
    .filter((v) => v !== '');
}

describe('actions/aws exporting a session', () => {
  let run: ActionRun;
  let probe: Record<string, unknown> = {};
  beforeAll(async () => {
    run = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'allowed-account-ids': '111122223333',
      },
      oidc: sandbox.issuer.addJob(),
      afterMain: async (main) => {
        probe = await runProbe('aws-caller-identity.mjs', { ...main.env, HOME: '/nonexistent' });
      },
    });
  });
  afterAll(() => {
    run.dispose();
  });

  it('assumes the role and exports what the AWS SDKs read', () => {
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(run.main.env['AWS_ACCESS_KEY_ID']).toMatch(/^ASIA/);
    expect(run.main.env['AWS_REGION']).toBe('us-east-1');
    expect(run.main.outputs['aws-account-id']).toBe('111122223333');
    expect(run.main.outputs['aws-role-arn']).toBe(ROLE);
  });

  it('requests the token once: the request main.ts starts before loading the SDK is the one used', () => {
    const requests = run.main.commands.filter(
      (c) => c.command === 'debug' && c.value.startsWith('ID token url'),
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]!.value).toMatch(/&audience=sts\.amazonaws\.com$/);
  });

  it('the SDK default credential chain uses the exported session unchanged (GetCallerIdentity)', () => {
    expect(probe).toMatchObject({ ok: true, account: '111122223333' });
    expect(String(probe['arn'])).toMatch(
      /^arn:aws:sts::111122223333:assumed-role\/wif-sandbox-deploy\/GitHubActions-1234-1$/,
    );
  });

  it('masks every credential before it could print, and leaks none', () => {
    const secrets = secretsOf(run.main);
    expect(secrets).toHaveLength(3);
    for (const s of secrets) {
      expect(run.main.masks).toContain(s);
      expect(findLeaks({ ...run.main, env: {} }, s)).toEqual([]);
      expect(findLeaks(run.post!, s)).toEqual([]);
    }
  });

  it('post step blanks the exported variables', () => {
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.env['AWS_ACCESS_KEY_ID']).toBe('');
    expect(run.post?.env['AWS_SESSION_TOKEN']).toBe('');
  });
});

describe('actions/aws with mask-aws-account-id', () => {
  const ACCOUNT = '111122223333';

  /** Every place the runner shows or stores in plain text, outputs aside (they are secret). */
  function shown(step: StepResult): string[] {
    return findLeaks({ ...step, outputs: {}, env: {} }, ACCOUNT);
  }

  it('masks the account before the first request, and no log line or summary shows it', async () => {
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'allowed-account-ids': ACCOUNT,
        'mask-aws-account-id': 'true',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    // Registered before the token is requested: the first workflow command wif sends.
    const first = run.main.commands.findIndex((c) => c.command === 'add-mask');
    const request = run.main.commands.findIndex(
      (c) => c.command === 'debug' && c.value.startsWith('ID token url'),
    );
    expect(run.main.commands[first]?.value).toBe(ACCOUNT);
    expect(first).toBeLessThan(request === -1 ? Infinity : request);
    // Once: the federation and the sink (aws-account-id is a secret output) do not repeat it.
    expect(run.main.masks.filter((m) => m === ACCOUNT)).toEqual([ACCOUNT]);
    expect(run.main.stdout).toMatch(/wif: aws aws: assumed arn:aws:sts::\*\*\*:assumed-role\//);
    expect(shown(run.main)).toEqual([]);
    expect(run.main.summary).toMatch(/AWS session arn:aws:sts::\*\*\*:assumed-role/);
    // The outputs keep the values later steps need, and are masked as secrets.
    expect(run.main.outputs['aws-account-id']).toBe(ACCOUNT);
    expect(run.main.outputs['aws-role-arn']).toBe(ROLE);
    expect(run.main.masks).toContain(ROLE);
    expect(shown(run.post!)).toEqual([]);
    run.dispose();
  });

  it('reads the input as the exchange does: YES masks early, a non-boolean fails before any request', async () => {
    const yes = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'mask-aws-account-id': 'YES',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(yes.main.exitCode, yes.main.stdout + yes.main.stderr).toBe(0);
    expect(yes.main.commands.find((c) => c.command === 'add-mask')?.value).toBe(ACCOUNT);
    expect(shown(yes.main)).toEqual([]);
    yes.dispose();

    const maybe = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'mask-aws-account-id': 'maybe',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(maybe.main.exitCode).toBe(1);
    expect(maybe.main.errors).toEqual([
      'Input "mask-aws-account-id" must be true or false, not "maybe".',
    ]);
    expect(
      maybe.main.commands.filter(
        (c) => c.command === 'debug' && c.value.startsWith('ID token url'),
      ),
    ).toEqual([]);
    maybe.dispose();
  });

  it('an allowed-account-ids refusal does not name the account', async () => {
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'allowed-account-ids': '444455556666',
        'mask-aws-account-id': 'true',
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /in an account that is not in allowed-account-ids .* or add the account to input "allowed-account-ids"\.$/,
      ),
    ]);
    expect(shown(run.main)).toEqual([]);
    expect(run.main.errors[0]).not.toContain(ACCOUNT);
    run.dispose();
  });
});

describe('actions/aws named profiles', () => {
  it('writes a 0600 profile that the SDK reads through AWS_PROFILE, and refuses to clobber it', async () => {
    let probe: Record<string, unknown> = {};
    let credentialsFile = '';
    const first = await runAction('actions/aws', {
      inputs: { 'role-arn': ROLE, region: 'us-east-1', 'sts-endpoint': sts, profile: 'deploy' },
      oidc: sandbox.issuer.addJob(),
      afterMain: async (main) => {
        credentialsFile = main.env['AWS_SHARED_CREDENTIALS_FILE'] ?? '';
        probe = await runProbe('aws-caller-identity.mjs', {
          ...main.env,
          AWS_PROFILE: 'deploy',
          AWS_ENDPOINT_URL_STS: sts,
          HOME: '/nonexistent',
        });
        const again = await runAction('actions/aws', {
          inputs: { 'role-arn': ROLE, region: 'us-east-1', 'sts-endpoint': sts, profile: 'deploy' },
          oidc: sandbox.issuer.addJob(),
          env: main.env,
        });
        expect(again.main.exitCode).toBe(1);
        expect(again.main.errors[0]).toMatch(
          /profile "deploy" was already written.*overwrite: true/,
        );
        again.dispose();
      },
    });
    expect(first.main.exitCode, first.main.stdout).toBe(0);
    expect(first.main.env['AWS_ACCESS_KEY_ID']).toBeUndefined();
    expect(probe).toMatchObject({ ok: true, account: '111122223333' });
    expect(existsSync(credentialsFile)).toBe(false);
    first.dispose();
  });
});

describe('actions/aws carrying profiles over from an earlier step', () => {
  it('keeps what a later step added to the config file (a nested s3 block, comments) byte for byte', async () => {
    // What `aws configure set default.s3.max_concurrent_requests 20` and a person add to the
    // file AWS_CONFIG_FILE names, between two wif steps.
    const edit =
      '\n# tuned for the artifact bucket\n[default]\ns3 =\n    max_concurrent_requests = 20\n';
    let edited = '';
    let config = '';
    let probe: Record<string, unknown> = {};
    const first = await runAction('actions/aws', {
      inputs: { 'role-arn': ROLE, region: 'us-east-1', 'sts-endpoint': sts, profile: 'one' },
      oidc: sandbox.issuer.addJob(),
      afterMain: async (main) => {
        const file = main.env['AWS_CONFIG_FILE'] ?? '';
        appendFileSync(file, edit);
        edited = readFileSync(file, 'utf8');
        const second = await runAction('actions/aws', {
          inputs: { 'role-arn': ROLE, region: 'eu-west-1', 'sts-endpoint': sts, profile: 'two' },
          oidc: sandbox.issuer.addJob(),
          env: main.env,
          afterMain: async (next) => {
            config = readFileSync(next.env['AWS_CONFIG_FILE'] ?? '', 'utf8');
            probe = await runProbe('aws-caller-identity.mjs', {
              ...next.env,
              AWS_PROFILE: 'one',
              AWS_ENDPOINT_URL_STS: sts,
              HOME: '/nonexistent',
            });
          },
        });
        expect(second.main.exitCode, second.main.stdout).toBe(0);
        second.dispose();
      },
    });
    expect(first.main.exitCode, first.main.stdout).toBe(0);
    expect(config).toBe(`${edited}\n[profile two]\nregion = eu-west-1\nendpoint_url = ${sts}\n`);
    expect(probe).toMatchObject({ ok: true, account: '111122223333' });
    first.dispose();
  });
});

describe('actions/aws bad input: one clear line each', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'malformed ARN',
      { 'role-arn': 'arn:aws:iam::12345:role/x', region: 'us-east-1' },
      /Input "role-arn" "arn:aws:iam::12345:role\/x" is not an IAM role ARN/,
    ],
    [
      'duration out of range',
      { 'role-arn': ROLE, region: 'us-east-1', 'role-duration-seconds': '60' },
      /Input "role-duration-seconds" must be a whole number from 900 to 43200 seconds/,
    ],
    [
      'duration too long for chaining',
      {
        'role-arn': ROLE,
        region: 'us-east-1',
        'chain-role-arns': ROLE,
        'role-duration-seconds': '7200',
      },
      /from 900 to 3600 seconds/,
    ],
    [
      'unknown region',
      { 'role-arn': ROLE, region: 'moon-1' },
      /Input "region" "moon-1" is not an AWS region name/,
    ],
    [
      'bad boolean',
      { 'role-arn': ROLE, region: 'us-east-1', refresh: 'yes please' },
      /Input "refresh" must be true or false/,
    ],
  ];

  it.each(cases)('%s', async (_name, inputs, line) => {
    const run = await runAction('actions/aws', {
      inputs: { 'sts-endpoint': sts, ...inputs },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(line);
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    run.dispose();
  });

  it('missing permission', async () => {
    const run = await runAction('actions/aws', {
      inputs: { 'role-arn': ROLE, region: 'us-east-1', 'sts-endpoint': sts },
    });
    expect(run.main.errors).toEqual([expect.stringMatching(/permissions: id-token: write/)]);
    run.dispose();
  });

  it('a trust refusal fails once, and explain-on-failure prints the failing condition and a hint, and the error points at it', async () => {
    const host = issuerHost(sandbox.issuer.url);
    const dir = mkdtempSync(join(tmpdir(), 'wif-trust-'));
    const policyFile = join(dir, 'trust.json');
    writeFileSync(policyFile, JSON.stringify(mainBranchTrustPolicy(host)));
    const run = await runAction('actions/aws', {
      inputs: {
        'role-arn': ROLE,
        region: 'us-east-1',
        'sts-endpoint': sts,
        'explain-on-failure': policyFile,
      },
      oidc: sandbox.issuer.addJob({ ref: 'refs/heads/feature' }),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity.* The explanation above, from .*trust\.json, shows which condition this token fails and why\.$/,
      ),
    ]);
    expect(run.main.stdout).toMatch(/✗ .*:sub StringEquals/);
    expect(run.main.stdout).toMatch(/hint: .*refs\/heads\/feature/);
    expect(run.main.stdout).not.toMatch(/attempt 2/);
    run.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('credentials already exported by an earlier step are not clobbered', async () => {
    const run = await runAction('actions/aws', {
      inputs: { 'role-arn': ROLE, region: 'us-east-1', 'sts-endpoint': sts },
      oidc: sandbox.issuer.addJob(),
      env: { AWS_ACCESS_KEY_ID: 'ASIAEARLIERSTEP00000' },
    });
    expect(run.main.errors[0]).toMatch(
      /already in the environment.*Add overwrite: true to replace them, or profile: NAME /,
    );
    run.dispose();
  });
});
