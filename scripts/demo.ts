/**
 * `npm run demo`: the whole flow on this machine, through the CLI a user runs. Starts
 * `wif sandbox` (an OIDC issuer that behaves like GitHub's, and protocol-faithful cloud
 * emulators on 127.0.0.1), then plays a GitHub job: fetch its OIDC token, explain a trust
 * policy against it, trade it for AWS credentials, and stop everything cleanly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'wif-demo-'));
const envFile = join(work, 'sandbox.env');

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, text: string): void => {
  console.log(`\n${bold(`${n}. ${text}`)}`);
};

function readEnvFile(path: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^export ([A-Za-z_][A-Za-z0-9_]*)='((?:[^']|'\\'')*)'$/.exec(line);
    if (m) env[m[1]!] = m[2]!.replace(/'\\''/g, "'");
  }
  return env;
}

function wif(
  args: string[],
  env: Record<string, string>,
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: work, TMPDIR: work, ...env },
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function portOpen(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

step(1, 'Start the sandbox: `wif sandbox --write-env sandbox.env`');
const started = Date.now();
const sandbox = spawn(process.execPath, [cli, 'sandbox', '--write-env', envFile], {
  stdio: ['ignore', 'ignore', 'pipe'],
});
let sandboxLog = '';
sandbox.stderr.on('data', (d: Buffer) => (sandboxLog += d.toString()));
for (let i = 0; i < 200 && !existsSync(envFile); i++) await new Promise((r) => setTimeout(r, 50));
if (!existsSync(envFile)) {
  console.error(`the sandbox did not start:\n${sandboxLog}`);
  process.exit(1);
}
const env = readEnvFile(envFile);
console.log(
  `   up in ${Date.now() - started} ms; emulators: ${Object.keys(env)
    .filter((k) => k.endsWith('_URL') || k.startsWith('AWS_ENDPOINT') || k === 'WIF_SANDBOX_ISSUER')
    .join(', ')}`,
);
console.log(
  `   issuer ${env['WIF_SANDBOX_ISSUER'] ?? '?'} (plays token.actions.githubusercontent.com)`,
);

const job = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '1234', GITHUB_RUN_ATTEMPT: '1', ...env };
let failed = false;
try {
  step(2, "Fetch the job's OIDC token: `wif token --audience sts.amazonaws.com`");
  const token = wif(['token', '--source', 'github', '--audience', 'sts.amazonaws.com'], job);
  const report = JSON.parse(token.stdout) as {
    claims: Record<string, unknown>;
    verdict: { ok: boolean; expiresInSeconds: number };
  };
  console.log(`   sub ${String(report.claims['sub'])}`);
  console.log(
    `   aud ${String(report.claims['aud'])}, expires in ${report.verdict.expiresInSeconds} s, pre-flight ${report.verdict.ok ? 'passed' : 'FAILED'} (the raw token is never printed)`,
  );

  step(
    3,
    'Explain a trust policy that expects another branch: `wif explain --claims - policy.json`',
  );
  const issuerHostKey = (env['WIF_SANDBOX_ISSUER'] ?? '').replace(/^https:\/\//, '');
  const policy = join(work, 'trust-policy.json');
  writeFileSync(
    policy,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuerHostKey}` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuerHostKey}:aud`]: 'sts.amazonaws.com',
              [`${issuerHostKey}:sub`]: 'repo:octo-org/octo-repo:ref:refs/heads/release',
            },
          },
        },
      ],
    }),
  );
  const claimsFile = join(work, 'claims.json');
  writeFileSync(claimsFile, token.stdout);
  const explain = wif(['explain', '--claims', claimsFile, policy], job);
  for (const line of explain.stdout.trim().split('\n')) console.log(`   ${line}`);
  console.log(`   (exit ${explain.status}: 1 means refused)`);

  step(4, 'Trade the token for AWS credentials: `wif aws --role-arn … --format json`');
  const aws = wif(
    [
      'aws',
      '--source',
      'github',
      '--role-arn',
      'arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      '--region',
      'us-east-1',
      '--sts-endpoint',
      env['AWS_ENDPOINT_URL_STS'] ?? '',
      '--allowed-account-ids',
      '111122223333',
      '--format',
      'json',
      '--output-dir',
      work,
    ],
    job,
  );
  if (aws.status !== 0) throw new Error(aws.stderr);
  const exported = JSON.parse(aws.stdout) as {
    credentials: { label: string; expiresAt: string }[];
    env: Record<string, string>;
    outputs: Record<string, string>;
  };
  console.log(`   ${exported.credentials[0]?.label ?? ''}`);
  console.log(
    `   AWS_ACCESS_KEY_ID ${(exported.env['AWS_ACCESS_KEY_ID'] ?? '').slice(0, 8)}… (secret key and session token exported, not shown), account ${exported.outputs['aws-account-id'] ?? '?'}, expires ${exported.credentials[0]?.expiresAt ?? '?'}`,
  );

  step(5, 'A refused exchange says why: a job on refs/heads/feature');
  const control = env['WIF_SANDBOX_CONTROL'] ?? '';
  const res = await fetch(`${control}/github/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ref: 'refs/heads/feature' }),
  });
  const other = (await res.json()) as {
    requestUrl?: string;
    requestToken?: string;
    ACTIONS_ID_TOKEN_REQUEST_URL?: string;
    ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string;
  };
  const refused = wif(
    [
      'aws',
      '--source',
      'github',
      '--role-arn',
      'arn:aws:iam::111122223333:role/wif-sandbox-deploy',
      '--region',
      'us-east-1',
      '--sts-endpoint',
      env['AWS_ENDPOINT_URL_STS'] ?? '',
      '--output-dir',
      work,
    ],
    {
      ...job,
      ACTIONS_ID_TOKEN_REQUEST_URL: other.requestUrl ?? other.ACTIONS_ID_TOKEN_REQUEST_URL ?? '',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN:
        other.requestToken ?? other.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '',
    },
  );
  console.log(
    `   exit ${refused.status}: ${refused.stderr
      .split('\n')
      .filter((l) => l.startsWith('wif:'))
      .join(' ')}`,
  );
} catch (error) {
  failed = true;
  console.error(`demo step failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  step(6, 'Stop the sandbox (SIGTERM) and check nothing is left listening');
  sandbox.kill('SIGTERM');
  await new Promise((r) => sandbox.once('exit', r));
  const issuer = env['WIF_SANDBOX_ISSUER'] ?? '';
  const open = issuer === '' ? false : await portOpen(issuer);
  console.log(
    `   stopped; issuer port ${open ? 'STILL OPEN' : 'closed'}; env file ${existsSync(envFile) ? 'still there' : 'removed'}`,
  );
  rmSync(work, { recursive: true, force: true });
  if (open) failed = true;
}
process.exit(failed ? 1 : 0);
