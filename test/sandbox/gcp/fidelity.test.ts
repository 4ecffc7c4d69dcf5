import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ExternalAccountClient,
  gaxios,
  GoogleAuth,
  Impersonated,
  OAuth2Client,
  type BaseExternalAccountClient,
  type IdentityPoolClientOptions,
} from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDITOR,
  CHAINED,
  DEPLOYER,
  DEPLOYER_ID,
  startGcpSandbox,
  stsAudience,
  tokenAudience,
  type GcpSandbox,
} from './harness.ts';

// The official SDK (google-auth-library, IdentityPoolClient / Impersonated) driven against the
// emulator, checking that it succeeds and fails the way it does against Google:
// - external_account files: https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines
//   and https://google.aip.dev/auth/4117 (credential_source file/url, impersonation URL, token lifetime)
// - STS: https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token
// - IAM Credentials: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken
// - Error messages: https://cloud.google.com/iam/docs/troubleshooting-workload-identity-federation

let sandbox: GcpSandbox;

beforeAll(async () => {
  sandbox = await startGcpSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

afterEach(() => {
  sandbox.faults.clear();
});

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
let files = 0;

/** Writes a subject token the way a CI job would and returns its path. */
async function tokenFile(token: string): Promise<string> {
  files += 1;
  const path = join(sandbox.dir, `token-${files}.jwt`);
  await writeFile(path, token, { mode: 0o600 });
  return path;
}

async function githubToken(
  options: Parameters<GcpSandbox['issuer']['mint']>[1] = { audience: tokenAudience('github') },
  repository = 'octo-org/octo-repo',
): Promise<string> {
  return sandbox.issuer.mint({ platform: 'github', repository }, options);
}

/** An external_account configuration as `gcloud iam workload-identity-pools create-cred-config` writes it. */
function externalAccount(
  credentialSource: NonNullable<IdentityPoolClientOptions['credential_source']>,
  extra: Partial<IdentityPoolClientOptions> = {},
): IdentityPoolClientOptions {
  return {
    type: 'external_account',
    audience: stsAudience('github'),
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${sandbox.base}/v1/token`,
    credential_source: credentialSource,
    ...extra,
  };
}

function impersonationUrl(account: string, project = '-'): string {
  return `${sandbox.base}/v1/projects/${project}/serviceAccounts/${account}:generateAccessToken`;
}

function client(options: IdentityPoolClientOptions): BaseExternalAccountClient {
  const built = ExternalAccountClient.fromJSON(options);
  if (built === null)
    throw new Error('fromJSON returned null for an external_account configuration');
  return built;
}

function tokenInfoClient(): OAuth2Client {
  return new OAuth2Client({ endpoints: { tokenInfoUrl: `${sandbox.base}/tokeninfo` } });
}

/** What the SDK rejected with; fails the test when it resolved. */
async function failure(
  promise: Promise<unknown>,
): Promise<Error & { response?: gaxios.GaxiosResponse; status?: number }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected the SDK call to fail, and it succeeded');
}

describe('google-auth-library IdentityPoolClient against the GCP emulator', () => {
  it('gets a federated access token from a credential_source file, which tokeninfo proves', async () => {
    const federated = client(externalAccount({ file: await tokenFile(await githubToken()) }));
    const { token } = await federated.getAccessToken();
    expect(token).toMatch(/^ya29\.d\./);
    const info = await tokenInfoClient().getTokenInfo(token!);
    expect(info.scopes).toEqual([CLOUD_PLATFORM]);
    expect(info.sub).toBe(
      'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci-pool/subject/repo:octo-org/octo-repo:ref:refs/heads/main',
    );
    expect(info.expiry_date).toBeGreaterThan(Date.now());
  });

  it('impersonates the service account through service_account_impersonation_url', async () => {
    const impersonating = client(
      externalAccount(
        { file: await tokenFile(await githubToken()) },
        {
          service_account_impersonation_url: impersonationUrl(DEPLOYER),
          service_account_impersonation: { token_lifetime_seconds: 1800 },
        },
      ),
    );
    const { token } = await impersonating.getAccessToken();
    expect(token).toMatch(/^ya29\.c\./);
    const info = await tokenInfoClient().getTokenInfo(token!);
    expect(info).toMatchObject({ aud: DEPLOYER_ID, azp: DEPLOYER_ID, scopes: [CLOUD_PLATFORM] });
    expect(info.expiry_date - Date.now()).toBeGreaterThan(1_700_000);
    expect(info.expiry_date - Date.now()).toBeLessThanOrEqual(1_800_000);
  });

  it('reads the subject token from the GitHub token endpoint with a url credential_source', async () => {
    const job = sandbox.issuer.addJob();
    const federated = client(
      externalAccount(
        {
          url: `${job.requestUrl}&audience=${encodeURIComponent(tokenAudience('github'))}`,
          headers: { Authorization: `Bearer ${job.requestToken}` },
          format: { type: 'json', subject_token_field_name: 'value' },
        },
        { service_account_impersonation_url: impersonationUrl(DEPLOYER) },
      ),
    );
    const { token } = await federated.getAccessToken();
    expect(token).toMatch(/^ya29\.c\./);
  });

  it('works through GoogleAuth from an external_account file, as GOOGLE_APPLICATION_CREDENTIALS points to', async () => {
    const keyFilename = join(sandbox.dir, 'external-account.json');
    const config = externalAccount(
      { file: await tokenFile(await githubToken()) },
      { service_account_impersonation_url: impersonationUrl(DEPLOYER) },
    );
    await writeFile(keyFilename, JSON.stringify(config), { mode: 0o600 });
    const auth = new GoogleAuth({ keyFilename, scopes: [CLOUD_PLATFORM] });
    const token = await auth.getAccessToken();
    expect(token).toMatch(/^ya29\.c\./);
  });

  it('surfaces a wrong token audience as STS invalid_grant, without retrying', async () => {
    const before = sandbox.requestsTo('/v1/token').length;
    const federated = client(
      externalAccount({
        file: await tokenFile(await githubToken({ audience: 'https://github.com/octo-org' })),
      }),
    );
    const error = await failure(federated.getAccessToken());
    expect(error.message).toBe(
      'Error code invalid_grant: The audience in JWT does not match the expected values.',
    );
    expect(error.response?.status).toBe(400);
    expect(error.response?.data).toEqual({
      error: 'invalid_grant',
      error_description: 'The audience in JWT does not match the expected values.',
    });
    expect(sandbox.requestsTo('/v1/token').length - before).toBe(1);
  });

  it('surfaces an attribute-condition refusal as unauthorized_client', async () => {
    const federated = client(
      externalAccount({
        file: await tokenFile(await githubToken(undefined, 'octo-org/other-repo')),
      }),
    );
    const error = await failure(federated.getAccessToken());
    expect(error.message).toBe(
      'Error code unauthorized_client: The given credential is rejected by the attribute condition.',
    );
  });

  it('surfaces a token from another issuer as invalid_grant naming the expected issuer', async () => {
    const wrong = await githubToken({
      audience: tokenAudience('github'),
      issuer: `${sandbox.issuer.url}/gitlab`,
    });
    const error = await failure(
      client(externalAccount({ file: await tokenFile(wrong) })).getAccessToken(),
    );
    expect(error.message).toBe(
      `Error code invalid_grant: The issuer in ID Token ${sandbox.issuer.url}/gitlab does not match the expected one in config: ${sandbox.issuer.url}`,
    );
  });

  it('surfaces an expired subject token as stale', async () => {
    const issuedAt = new Date(Date.now() - 7_200_000);
    const expired = await githubToken({ audience: tokenAudience('github'), now: issuedAt });
    const error = await failure(
      client(externalAccount({ file: await tokenFile(expired) })).getAccessToken(),
    );
    expect(error.message).toBe(
      `Error code invalid_grant: ID Token issued at ${Math.floor(issuedAt.getTime() / 1000)} is stale to sign-in.`,
    );
  });

  it('surfaces a denied impersonation as a GaxiosError carrying the 403 envelope', async () => {
    const denied = client(
      externalAccount(
        { file: await tokenFile(await githubToken()) },
        { service_account_impersonation_url: impersonationUrl(AUDITOR) },
      ),
    );
    const error = await failure(denied.getAccessToken());
    expect(error).toBeInstanceOf(gaxios.GaxiosError);
    expect(error.status).toBe(403);
    expect(error.response?.data).toMatchObject({
      error: {
        code: 403,
        status: 'PERMISSION_DENIED',
        message:
          "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      },
    });
  });

  it('surfaces a lifetime over one hour as INVALID_ARGUMENT', async () => {
    const tooLong = client(
      externalAccount(
        { file: await tokenFile(await githubToken()) },
        {
          service_account_impersonation_url: impersonationUrl(DEPLOYER),
          service_account_impersonation: { token_lifetime_seconds: 7200 },
        },
      ),
    );
    const error = await failure(tooLong.getAccessToken());
    expect(error).toBeInstanceOf(gaxios.GaxiosError);
    expect(error.status).toBe(400);
    expect(error.response?.data).toMatchObject({
      error: {
        status: 'INVALID_ARGUMENT',
        message:
          'can not have lifetimes of more than 1 hour. Use the Org Policy Constraint constraints/iam.allowServiceAccountCredentialLifetimeExtension to allow up to 12 hours.',
      },
    });
  });

  it('surfaces a project ID in place of the - wildcard as INVALID_ARGUMENT', async () => {
    const concrete = client(
      externalAccount(
        { file: await tokenFile(await githubToken()) },
        { service_account_impersonation_url: impersonationUrl(DEPLOYER, 'wif-sandbox') },
      ),
    );
    const error = await failure(concrete.getAccessToken());
    expect(error.status).toBe(400);
    expect(error.response?.data).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
  });
});

describe('google-auth-library Impersonated against the GCP emulator', () => {
  async function source(): Promise<BaseExternalAccountClient> {
    return client(externalAccount({ file: await tokenFile(await githubToken()) }));
  }

  it('mints a service account token with the federated token as source credential', async () => {
    const impersonated = new Impersonated({
      sourceClient: await source(),
      targetPrincipal: DEPLOYER,
      targetScopes: [CLOUD_PLATFORM],
      lifetime: 600,
      endpoint: sandbox.base,
    });
    const { token } = await impersonated.getAccessToken();
    const info = await tokenInfoClient().getTokenInfo(token!);
    expect(info.aud).toBe(DEPLOYER_ID);
  });

  it('follows delegates to an account that trusts only the first service account', async () => {
    const impersonated = new Impersonated({
      sourceClient: await source(),
      targetPrincipal: CHAINED,
      delegates: [`projects/-/serviceAccounts/${DEPLOYER}`],
      targetScopes: [CLOUD_PLATFORM],
      endpoint: sandbox.base,
    });
    const { token } = await impersonated.getAccessToken();
    expect(token).toMatch(/^ya29\.c\./);
  });

  it('fetches an ID token that OAuth2Client.verifyIdToken accepts with the emulator certs', async () => {
    const impersonated = new Impersonated({
      sourceClient: await source(),
      targetPrincipal: DEPLOYER,
      endpoint: sandbox.base,
    });
    const idToken = await impersonated.fetchIdToken('https://service.example', {
      includeEmail: true,
    });
    const verifier = new OAuth2Client({
      endpoints: { oauth2FederatedSignonPemCertsUrl: `${sandbox.base}/oauth2/v1/certs` },
    });
    const ticket = await verifier.verifyIdToken({ idToken, audience: 'https://service.example' });
    // google-auth-library asks for useEmailAzp alongside includeEmail, so azp is the email.
    expect(ticket.getPayload()).toMatchObject({ email: DEPLOYER, azp: DEPLOYER, sub: DEPLOYER_ID });
  });

  it('reports a denied impersonation the way the library words it', async () => {
    const impersonated = new Impersonated({
      sourceClient: await source(),
      targetPrincipal: AUDITOR,
      endpoint: sandbox.base,
    });
    const error = await failure(impersonated.getAccessToken());
    expect(error.message).toBe(
      "PERMISSION_DENIED: unable to impersonate: Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
    );
  });
});

describe('GCP emulator fault knobs, as google-auth-library experiences them', () => {
  async function federatedClient(): Promise<BaseExternalAccountClient> {
    return client(externalAccount({ file: await tokenFile(await githubToken()) }));
  }

  it('answers a throttle with 429 RESOURCE_EXHAUSTED, which the library retries to success', async () => {
    const before = sandbox.requestsTo('/v1/token').length;
    sandbox.faults.set({ throttleRate: 1, remaining: 1 });
    const { token } = await (await federatedClient()).getAccessToken();
    expect(token).toMatch(/^ya29\.d\./);
    const seen = sandbox.requestsTo('/v1/token').slice(before);
    expect(seen).toEqual([
      'gcp: POST /v1/token → 429 (injected throttle)',
      'gcp: POST /v1/token → 200',
    ]);
  });

  it('gives up on a persistent throttle with the RESOURCE_EXHAUSTED envelope after its retries', async () => {
    sandbox.faults.set({ throttleRate: 1 });
    const error = await failure((await federatedClient()).getAccessToken());
    expect(error.response?.status).toBe(429);
    expect(error.response?.data).toMatchObject({
      error: { code: 429, status: 'RESOURCE_EXHAUSTED' },
    });
  });

  it('injects a specific OAuth error code, which the library does not retry', async () => {
    const before = sandbox.requestsTo('/v1/token').length;
    sandbox.faults.set({ errorRate: 1, errorCode: 'invalid_grant', remaining: 1 });
    const error = await failure((await federatedClient()).getAccessToken());
    expect(error.message).toBe(
      "Error code invalid_grant: Error connecting to the given credential's issuer.",
    );
    expect(sandbox.requestsTo('/v1/token').length - before).toBe(1);
  });

  it('injects UNAVAILABLE by default, which the library retries to success', async () => {
    sandbox.faults.set({ errorRate: 1, remaining: 1 });
    const { token } = await (await federatedClient()).getAccessToken();
    expect(token).toMatch(/^ya29\.d\./);
  });

  it('resets the connection, which the library retries to success', async () => {
    sandbox.faults.set({ resetRate: 1, remaining: 1 });
    const { token } = await (await federatedClient()).getAccessToken();
    expect(token).toMatch(/^ya29\.d\./);
    expect(sandbox.logs).toContain('gcp: POST /v1/token → connection reset (injected)');
  });

  it('delays answers by the configured latency, so a client deadline shorter than it expires', async () => {
    sandbox.faults.set({ latencyMs: 2000 });
    const error = await failure(
      fetch(`${sandbox.base}/oauth2/v3/certs`, { signal: AbortSignal.timeout(100) }),
    );
    expect(error.name).toBe('TimeoutError');
  });
});
