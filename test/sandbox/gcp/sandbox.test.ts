import {
  ExternalAccountClient,
  OAuth2Client,
  type BaseExternalAccountClient,
  type IdentityPoolClientOptions,
} from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpEmulator } from '../../../src/sandbox/gcp/index.ts';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';

// `wif sandbox` with no config: the GCP emulator's embedded default must trust the issuer's
// default GitHub job, reached the way a workflow reaches it (ACTIONS_ID_TOKEN_REQUEST_*),
// and the fault knobs must be reachable through the control server (PUT /faults/gcp).

let sandbox: Sandbox;
const logs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ emulators: [gcpEmulator], log: (line) => logs.push(line) });
});

afterAll(async () => {
  await sandbox.close();
});

function defaultJobClient(): BaseExternalAccountClient {
  const env = sandbox.env;
  const provider = env.WIF_GCP_WORKLOAD_IDENTITY_PROVIDER!;
  const options: IdentityPoolClientOptions = {
    type: 'external_account',
    audience: `//iam.googleapis.com/${provider}`,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: env.WIF_GCP_STS_URL!,
    service_account_impersonation_url: `${env.WIF_GCP_IAMCREDENTIALS_URL!}/projects/-/serviceAccounts/${env.WIF_GCP_SERVICE_ACCOUNT!}:generateAccessToken`,
    credential_source: {
      url: `${env.ACTIONS_ID_TOKEN_REQUEST_URL!}&audience=${encodeURIComponent(`https://iam.googleapis.com/${provider}`)}`,
      headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN!}` },
      format: { type: 'json', subject_token_field_name: 'value' },
    },
  };
  const client = ExternalAccountClient.fromJSON(options);
  if (client === null)
    throw new Error('fromJSON returned null for an external_account configuration');
  return client;
}

describe('GCP emulator inside wif sandbox', () => {
  it('exports the variables that point clients at it', () => {
    const base = sandbox.urls.gcp!.iamcredentials!.replace(/\/v1$/, '');
    expect(sandbox.env).toMatchObject({
      GHA_ENDPOINT_OVERRIDE_sts: `${base}/v1`,
      GHA_ENDPOINT_OVERRIDE_iamcredentials: `${base}/v1`,
      WIF_GCP_TOKENINFO_URL: `${base}/oauth2/v3/tokeninfo`,
    });
  });

  it('lets the default GitHub job impersonate the default service account with no config at all', async () => {
    const { token } = await defaultJobClient().getAccessToken();
    const tokenInfoUrl = sandbox.env.WIF_GCP_TOKENINFO_URL!;
    const info = await new OAuth2Client({ endpoints: { tokenInfoUrl } }).getTokenInfo(token!);
    expect(info.scopes).toEqual(['https://www.googleapis.com/auth/cloud-platform']);
    expect(info.expiry_date).toBeGreaterThan(Date.now());
  });

  it('takes fault knobs from the control server and logs under its name', async () => {
    const put = await fetch(`${sandbox.controlUrl}/faults/gcp`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorCode: 'unauthorized_client', remaining: 1 }),
    });
    expect(put.status).toBe(200);
    await expect(defaultJobClient().getAccessToken()).rejects.toThrow(
      'Error code unauthorized_client: The given credential is rejected by the attribute condition.',
    );
    expect(logs).toContain('gcp: POST /v1/token → 400 (injected error)');
    // `remaining: 1` is spent: the next exchange goes through.
    const { token } = await defaultJobClient().getAccessToken();
    expect(token).toMatch(/^ya29\.c\./);
  });
});
