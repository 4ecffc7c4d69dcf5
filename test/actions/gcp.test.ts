import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/host.ts';
import { runProbe } from '../support/probe.ts';
import { findLeaks, runAction, type ActionRun, type StepResult } from '../support/runner.ts';

let sandbox: Sandbox;
let provider: string;
let serviceAccount: string;
let endpoints: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
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

/** What the emulator's tokeninfo says a token is (the proof that ADC's token is real). */
async function tokenInfo(accessToken: string): Promise<Record<string, string>> {
  const res = await fetch(
    `${sandbox.urls['gcp']!['tokeninfo']!}?access_token=${encodeURIComponent(accessToken)}`,
  );
  return (await res.json()) as Record<string, string>;
}

/** Application Default Credentials in a fresh process with exactly the exported environment. */
async function adc(
  main: StepResult,
): Promise<{ ok: boolean; client?: string; email?: string; message?: string }> {
  const probe = await runProbe('gcp-adc.mjs', { ...main.env, HOME: '/nonexistent' });
  if (probe['ok'] !== true) return { ok: false, message: String(probe['message']) };
  const info = await tokenInfo(String(probe['token']));
  return {
    ok: true,
    client: String(probe['client']),
    ...(info['email'] === undefined ? {} : { email: info['email'] }),
  };
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

describe('actions/gcp handing Application Default Credentials an external_account file', () => {
  let run: ActionRun;
  let probe: Awaited<ReturnType<typeof adc>> = { ok: false };
  let credentials: Record<string, unknown> = {};
  let files: { path: string; mode: number; content: string }[] = [];
  let workspaceFiles: string[] = [];
  let subjectToken = '';
  let dirMode = 0;

  beforeAll(async () => {
    run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        'token-format': 'access_token',
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob(),
      afterMain: async (main, paths) => {
        const path = main.env['GOOGLE_APPLICATION_CREDENTIALS'] ?? '';
        credentials = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
        files = filesUnder(paths.runnerTemp).map((f) => ({
          path: f,
          mode: statSync(f).mode & 0o777,
          content: readFileSync(f, 'utf8'),
        }));
        workspaceFiles = filesUnder(paths.workspace);
        subjectToken = readFileSync(
          (credentials['credential_source'] as { file: string }).file,
          'utf8',
        );
        dirMode = statSync(dirname(path)).mode & 0o777;
        probe = await adc(main);
      },
    });
  });
  afterAll(() => {
    run.dispose();
  });

  it('exports the credentials file and project the way gcloud and the client libraries read them', () => {
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    const path = run.main.outputs['credentials_file_path']!;
    expect(run.main.env).toMatchObject({
      GOOGLE_APPLICATION_CREDENTIALS: path,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: path,
      GOOGLE_GHA_CREDS_PATH: path,
      GOOGLE_CLOUD_PROJECT: 'wif-sandbox',
      CLOUDSDK_CORE_PROJECT: 'wif-sandbox',
      CLOUDSDK_PROJECT: 'wif-sandbox',
      GCLOUD_PROJECT: 'wif-sandbox',
    });
    expect(run.main.outputs['project_id']).toBe('wif-sandbox');
    expect(run.main.outputs['access_token']).toMatch(/^ya29\./);
  });

  it('writes the file outside the workspace, 0600 in a 0700 directory, naming the emulator endpoints and a file source', () => {
    const path = run.main.outputs['credentials_file_path']!;
    expect(relative(run.workspace, path).startsWith('..')).toBe(true);
    expect(workspaceFiles).toEqual([]);
    expect(dirMode).toBe(0o700);
    expect(files.map((f) => f.mode)).toEqual(files.map(() => 0o600));
    expect(credentials).toMatchObject({
      type: 'external_account',
      audience: `//iam.googleapis.com/${provider}`,
      token_url: endpoints['sts-endpoint'],
      service_account_impersonation_url: `${endpoints['iamcredentials-endpoint']}/projects/-/serviceAccounts/${serviceAccount}:generateAccessToken`,
      credential_source: { format: { type: 'text' } },
    });
    expect(JSON.stringify(credentials)).not.toMatch(/ACTIONS_ID_TOKEN|Bearer|"url"/);
  });

  it('ADC obtains a token for the service account from the exported environment, unchanged', () => {
    expect(probe, probe.message).toMatchObject({
      ok: true,
      client: 'IdentityPoolClient',
      email: serviceAccount,
    });
  });

  it('masks every credential before it could print, and leaks none', () => {
    const secrets = [run.main.outputs['access_token']!, subjectToken];
    expect(subjectToken).toMatch(/^eyJ/);
    for (const secret of secrets) {
      expect(run.main.masks).toContain(secret);
      expect(findLeaks({ ...run.main, outputs: {} }, secret)).toEqual([]);
      expect(findLeaks(run.post!, secret)).toEqual([]);
    }
    // The token output is the one place meant to hold a token; no other output, variable or state does.
    expect(
      Object.entries(run.main.outputs).filter(
        ([name, value]) => name !== 'access_token' && secrets.some((s) => value.includes(s)),
      ),
    ).toEqual([]);
    // Files: only the 0600 token file holds a secret; the credentials file holds paths.
    expect(
      files
        .filter((f) => secrets.some((s) => f.content.includes(s)))
        .map((f) => f.path.split('/').pop()),
    ).toEqual(['gcp-subject-token']);
  });

  it('post step removes the files and blanks the variables', () => {
    expect(run.post?.exitCode).toBe(0);
    for (const f of files) expect(existsSync(f.path)).toBe(false);
    for (const name of [
      'GOOGLE_APPLICATION_CREDENTIALS',
      'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE',
      'GOOGLE_GHA_CREDS_PATH',
      'GOOGLE_CLOUD_PROJECT',
    ]) {
      expect(run.post?.env[name]).toBe('');
    }
    expect(run.post?.summary).toMatch(/cleaned up 2 credential file\(s\)/);
  });
});

describe('actions/gcp ID tokens and direct federation', () => {
  it('outputs an ID token for the audience asked for, masked', async () => {
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        'token-format': 'id_token',
        'id-token-audience': 'https://run.example',
        'create-credentials-file': 'false',
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    const token = run.main.outputs['id_token']!;
    expect(run.main.masks).toContain(token);
    expect(findLeaks({ ...run.main, outputs: {} }, token)).toEqual([]);
    expect(run.main.env['GOOGLE_APPLICATION_CREDENTIALS']).toBeUndefined();
    run.dispose();
  });

  it('without a service account, ADC uses the federated identity directly', async () => {
    let probe: Awaited<ReturnType<typeof adc>> = { ok: false };
    const run = await runAction('actions/gcp', {
      // With no project in the environment, ADC would ask Cloud Resource Manager for one.
      inputs: { 'workload-identity-provider': provider, 'project-id': 'wif-sandbox', ...endpoints },
      oidc: sandbox.issuer.addJob(),
      afterMain: async (main) => {
        probe = await adc(main);
      },
    });
    expect(run.main.exitCode, run.main.stdout).toBe(0);
    expect(run.main.outputs['access_token']).toBeUndefined();
    expect(probe, probe.message).toMatchObject({ ok: true, client: 'IdentityPoolClient' });
    run.dispose();
  });
});

describe('actions/gcp refresh mode: credentials that outlive the CI token', () => {
  it('ADC keeps working at 0, 30, 60 and 90 s with 20 s tokens; the post step stops the refresher and removes the files', async () => {
    const probes: { at: number; ok: boolean; email?: string; message?: string }[] = [];
    const subjects = new Set<string>();
    let refresher = { pid: 0, dir: '' };
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        refresh: 'true',
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob({}, { tokenLifetimeSeconds: 20 }),
      timeoutMs: 60_000,
      afterMain: async (main) => {
        refresher = JSON.parse(main.state['wif-refresher'] ?? '{}') as typeof refresher;
        const credentials = JSON.parse(
          readFileSync(main.env['GOOGLE_APPLICATION_CREDENTIALS']!, 'utf8'),
        ) as { credential_source: { file: string } };
        expect(credentials.credential_source.file.startsWith(`${refresher.dir}/`)).toBe(true);
        const started = Date.now();
        for (const at of [0, 30, 60, 90]) {
          await sleep(Math.max(0, started + at * 1000 - Date.now()));
          subjects.add(readFileSync(credentials.credential_source.file, 'utf8'));
          probes.push({ at, ...(await adc(main)) });
        }
      },
    });
    expect(run.main.exitCode, run.main.stdout + run.main.stderr).toBe(0);
    expect(probes).toEqual(
      [0, 30, 60, 90].map((at) => ({
        at,
        ok: true,
        client: 'IdentityPoolClient',
        email: serviceAccount,
      })),
    );
    // A 20 s token read at 90 s must have been re-minted several times (the emulator allows 60 s of skew).
    expect(subjects.size).toBeGreaterThanOrEqual(3);
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain(`refresher (pid ${refresher.pid}) stopped`);
    let alive = true;
    for (let i = 0; i < 50 && alive; i++) {
      alive =
        existsSync(`/proc/${refresher.pid}`) &&
        !readFileSync(`/proc/${refresher.pid}/stat`, 'utf8').includes(') Z ');
      if (alive) await sleep(100);
    }
    expect(alive).toBe(false);
    expect(existsSync(refresher.dir)).toBe(false);
    expect(run.post?.env['GOOGLE_APPLICATION_CREDENTIALS']).toBe('');
    run.dispose();
  }, 150_000);
});

describe('actions/gcp bad input: one clear line each', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'malformed provider',
      {
        'workload-identity-provider':
          'projects/wif-sandbox/locations/global/workloadIdentityPools/ci-pool/providers/github',
      },
      /Input "workload-identity-provider" ".*" is not a workload identity provider resource name\. "wif-sandbox" looks like a project ID; use the project number/,
    ],
    [
      'lifetime out of range',
      { 'access-token-lifetime': '0' },
      /Input "access-token-lifetime" must be 1 to 43200 seconds/,
    ],
    [
      'unknown token-format',
      { 'token-format': 'oauth' },
      /Input "token-format" must be one of access_token, id_token, none, not "oauth"/,
    ],
    [
      'ID token without an audience',
      { 'token-format': 'id_token' },
      /token-format id_token needs Input "id-token-audience"/,
    ],
  ];

  it.each(cases)('%s', async (_name, inputs, line) => {
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        ...endpoints,
        ...inputs,
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(line);
    expect(readdirSync(run.runnerTemp)).toEqual([]);
    run.dispose();
  });

  it('missing permission', async () => {
    const run = await runAction('actions/gcp', {
      inputs: { 'workload-identity-provider': provider, ...endpoints },
    });
    expect(run.main.errors).toEqual([expect.stringMatching(/permissions: id-token: write/)]);
    run.dispose();
  });

  it('a credentials file inside the workspace', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'wif-gcp-ws-'));
    mkdirSync(join(workspace, '.runner-temp'), { mode: 0o700 });
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob(),
      env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: join(workspace, '.runner-temp') },
    });
    expect(run.main.exitCode).toBe(1);
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /^Refusing to write GCP credentials to .* inside the workspace \(GITHUB_WORKSPACE\), where they could be committed or uploaded as an artifact\. Point RUNNER_TEMP/,
      ),
    ]);
    expect(filesUnder(workspace)).toEqual([]);
    expect(run.main.env).toEqual({});
    run.dispose();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('a token the provider does not trust names the failing check', async () => {
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': serviceAccount,
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob({ repository: 'evil-org/octo-repo' }),
    });
    expect(run.main.errors).toEqual([
      expect.stringMatching(/STS token exchange .* failed: unauthorized_client: .*`wif explain`/),
    ]);
    run.dispose();
  });

  it('with explain-on-failure, a refusal prints which condition of the provider failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wif-gcp-explain-'));
    const describeJson = join(dir, 'provider.json');
    writeFileSync(
      describeJson,
      JSON.stringify({
        name: provider,
        state: 'ACTIVE',
        oidc: { issuerUri: sandbox.issuer.url },
        attributeMapping: {
          'google.subject': 'assertion.sub',
          'attribute.repository': 'assertion.repository',
        },
        attributeCondition: "attribute.repository == 'octo-org/octo-repo'",
      }),
    );
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'explain-on-failure': describeJson,
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob({ repository: 'evil-org/octo-repo' }),
    });
    expect(run.main.errors).toEqual([
      expect.stringMatching(/The explanation above, from .*provider\.json, shows which condition/),
    ]);
    expect(run.main.log).toMatch(
      /✗ attribute\.repository CEL attribute\.repository == 'octo-org\/octo-repo' \(actual: "evil-org\/octo-repo"\)/,
    );
    run.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a service account the workload may not impersonate names the role to grant', async () => {
    const run = await runAction('actions/gcp', {
      inputs: {
        'workload-identity-provider': provider,
        'service-account': 'other@wif-sandbox.iam.gserviceaccount.com',
        ...endpoints,
      },
      oidc: sandbox.issuer.addJob(),
    });
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /PERMISSION_DENIED: .*Grant roles\/iam\.workloadIdentityUser on other@wif-sandbox\.iam\.gserviceaccount\.com/,
      ),
    ]);
    run.dispose();
  });

  it('credentials already exported by an earlier step are not clobbered', async () => {
    const run = await runAction('actions/gcp', {
      inputs: { 'workload-identity-provider': provider, ...endpoints },
      oidc: sandbox.issuer.addJob(),
      env: { GOOGLE_APPLICATION_CREDENTIALS: '/runner/earlier.json' },
    });
    expect(run.main.errors).toEqual([
      expect.stringMatching(
        /already in the environment \(GOOGLE_APPLICATION_CREDENTIALS.*overwrite: true/,
      ),
    ]);
    run.dispose();
  });
});
