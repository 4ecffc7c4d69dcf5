import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDITOR,
  CHAINED,
  DEPLOYER,
  DEPLOYER_ID,
  LONG_LIVED,
  federatedToken,
  post,
  startGcpSandbox,
  type GcpSandbox,
} from './harness.ts';

// https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateAccessToken
// https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/generateIdToken
// https://cloud.google.com/iam/docs/create-short-lived-credentials-direct (lifetime, delegation)
// Error envelope: https://cloud.google.com/apis/design/errors and PROTOCOLS.md §4.6.

let sandbox: GcpSandbox;
let federated: string;

beforeAll(async () => {
  sandbox = await startGcpSandbox();
  federated = await federatedToken(sandbox);
});

afterAll(async () => {
  await sandbox.close();
});

type Answer = { status: number; body: Record<string, unknown> };

/** `token` null sends no Authorization header. */
function call(
  account: string,
  verb: string,
  body: unknown,
  token: string | null = federated,
  project = '-',
): Promise<Answer> {
  return post(
    `${sandbox.base}/v1/projects/${project}/serviceAccounts/${account}:${verb}`,
    JSON.stringify(body),
    {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
  );
}

const errorOf = (answer: Answer): Record<string, unknown> =>
  answer.body.error as Record<string, unknown>;
const CLOUD_PLATFORM = ['https://www.googleapis.com/auth/cloud-platform'];

describe('IAM Credentials generateAccessToken', () => {
  it('mints a service account token for a federated principal the binding admits', async () => {
    const answer = await call(DEPLOYER, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      lifetime: '600s',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accessToken).toMatch(/^ya29\.c\./);
    const expires = Date.parse(answer.body.expireTime as string);
    expect(answer.body.expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(expires - Date.now()).toBeGreaterThan(590_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it('addresses the account by its unique ID as well as its email', async () => {
    const answer = await call(DEPLOYER_ID, 'generateAccessToken', { scope: CLOUD_PLATFORM });
    expect(answer.status).toBe(200);
  });

  it('denies an account whose IAM policy does not bind the principal, with the documented envelope', async () => {
    const answer = await call(AUDITOR, 'generateAccessToken', { scope: CLOUD_PLATFORM });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({
      error: {
        code: 403,
        message:
          "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'IAM_PERMISSION_DENIED',
            domain: 'iam.googleapis.com',
            metadata: {
              permission: 'iam.serviceAccounts.getAccessToken',
              resource: `projects/-/serviceAccounts/${AUDITOR}`,
            },
          },
        ],
      },
    });
  });

  it('answers 403, not 404, for an account that does not exist (documented for the - wildcard)', async () => {
    const answer = await call('ghost@wif-sandbox.iam.gserviceaccount.com', 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
    });
    expect(errorOf(answer).status).toBe('PERMISSION_DENIED');
  });

  it('rejects a concrete project in place of the mandatory - wildcard', async () => {
    const answer = await call(
      DEPLOYER,
      'generateAccessToken',
      { scope: CLOUD_PLATFORM },
      federated,
      'wif-sandbox',
    );
    expect(answer.status).toBe(400);
    expect(errorOf(answer).status).toBe('INVALID_ARGUMENT');
    expect(errorOf(answer).message).toContain('"-" wildcard');
  });

  it('asks for credentials when no Bearer token is sent', async () => {
    const answer = await call(DEPLOYER, 'generateAccessToken', { scope: CLOUD_PLATFORM }, null);
    expect(answer.status).toBe(401);
    expect(errorOf(answer).status).toBe('UNAUTHENTICATED');
  });

  it('refuses an access token it never issued', async () => {
    const answer = await call(
      DEPLOYER,
      'generateAccessToken',
      { scope: CLOUD_PLATFORM },
      'ya29.d.not-issued-here',
    );
    expect(answer.status).toBe(401);
    expect(errorOf(answer).message).toMatch(/^Request had invalid authentication credentials/);
  });

  it('refuses a caller whose token lacks the cloud-platform or iam scope', async () => {
    const narrow = await federatedToken(
      sandbox,
      'https://www.googleapis.com/auth/devstorage.read_only',
    );
    const answer = await call(DEPLOYER, 'generateAccessToken', { scope: CLOUD_PLATFORM }, narrow);
    expect(answer.status).toBe(403);
    expect(errorOf(answer).message).toBe('Request had insufficient authentication scopes.');
  });

  it.each([
    ['0s', 'Lifetime of access token must be larger then zero.'],
    [
      '3601s',
      'can not have lifetimes of more than 1 hour. Use the Org Policy Constraint constraints/iam.allowServiceAccountCredentialLifetimeExtension to allow up to 12 hours.',
    ],
  ])('rejects lifetime %s with INVALID_ARGUMENT', async (lifetime, message) => {
    const answer = await call(DEPLOYER, 'generateAccessToken', { scope: CLOUD_PLATFORM, lifetime });
    expect(answer.status).toBe(400);
    expect(errorOf(answer)).toMatchObject({ status: 'INVALID_ARGUMENT', message });
  });

  it('allows up to 12 hours for an account under the lifetime-extension org policy', async () => {
    const answer = await call(LONG_LIVED, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      lifetime: '43200s',
    });
    expect(answer.status).toBe(200);
    const tooLong = await call(LONG_LIVED, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      lifetime: '43201s',
    });
    expect(errorOf(tooLong).status).toBe('INVALID_ARGUMENT');
  });

  it('rejects a lifetime that is not a protobuf Duration', async () => {
    const answer = await call(DEPLOYER, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      lifetime: '1h',
    });
    expect(errorOf(answer).status).toBe('INVALID_ARGUMENT');
  });

  it('rejects a body field the method does not define', async () => {
    const answer = await call(DEPLOYER, 'generateAccessToken', { scopes: CLOUD_PLATFORM });
    expect(errorOf(answer).message).toBe(
      'Invalid JSON payload received. Unknown name "scopes": Cannot find field.',
    );
  });

  it('follows a delegation chain whose every hop holds Token Creator on the next', async () => {
    const answer = await call(CHAINED, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      delegates: [`projects/-/serviceAccounts/${DEPLOYER}`],
    });
    expect(answer.status).toBe(200);
  });

  it('denies a delegation chain with a hop that lacks Token Creator', async () => {
    const answer = await call(DEPLOYER, 'generateAccessToken', {
      scope: CLOUD_PLATFORM,
      delegates: [`projects/-/serviceAccounts/${CHAINED}`],
    });
    expect(answer.status).toBe(403);
  });

  it('denies the federated principal direct use of an account that trusts only another service account', async () => {
    const answer = await call(CHAINED, 'generateAccessToken', { scope: CLOUD_PLATFORM });
    expect(answer.status).toBe(403);
  });

  it('lets a service account token mint for an account that grants it Token Creator', async () => {
    const deployerToken = (await call(DEPLOYER, 'generateAccessToken', { scope: CLOUD_PLATFORM }))
      .body.accessToken as string;
    const answer = await call(
      CHAINED,
      'generateAccessToken',
      { scope: CLOUD_PLATFORM },
      deployerToken,
    );
    expect(answer.status).toBe(200);
  });
});

describe('IAM Credentials generateIdToken', () => {
  it('returns an RS256 JWT with aud, azp and email, verifiable against the published JWKS', async () => {
    const answer = await call(DEPLOYER, 'generateIdToken', {
      audience: 'https://service.example',
      includeEmail: true,
    });
    expect(answer.status).toBe(200);
    const jwks = createRemoteJWKSet(new URL(`${sandbox.base}/oauth2/v3/certs`));
    const { payload, protectedHeader } = await jwtVerify(answer.body.token as string, jwks, {
      issuer: 'https://accounts.google.com',
      audience: 'https://service.example',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      azp: DEPLOYER_ID,
      sub: DEPLOYER_ID,
      email: DEPLOYER,
      email_verified: true,
    });
  });

  it('leaves the email out unless includeEmail is set', async () => {
    const answer = await call(DEPLOYER, 'generateIdToken', { audience: 'https://service.example' });
    expect(decodeJwt(answer.body.token as string).email).toBeUndefined();
  });

  it('requires an audience', async () => {
    const answer = await call(DEPLOYER, 'generateIdToken', { includeEmail: true });
    expect(errorOf(answer).status).toBe('INVALID_ARGUMENT');
  });

  it('names the getOpenIdToken permission when the binding denies', async () => {
    const answer = await call(AUDITOR, 'generateIdToken', { audience: 'https://service.example' });
    expect(errorOf(answer).message).toBe(
      "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not exist).",
    );
  });
});

describe('tokeninfo', () => {
  // https://developers.google.com/identity/protocols/oauth2 (tokeninfo), values rendered as strings.
  it('describes a service account token: unique ID, scope and expiry', async () => {
    const token = (
      await call(DEPLOYER, 'generateAccessToken', { scope: CLOUD_PLATFORM, lifetime: '900s' })
    ).body.accessToken as string;
    const response = await fetch(
      `${sandbox.base}/oauth2/v3/tokeninfo?access_token=${encodeURIComponent(token)}`,
    );
    const info = (await response.json()) as Record<string, string>;
    expect(response.status).toBe(200);
    expect(info).toMatchObject({
      azp: DEPLOYER_ID,
      aud: DEPLOYER_ID,
      sub: DEPLOYER_ID,
      scope: CLOUD_PLATFORM[0],
    });
    expect(Number(info.expires_in)).toBeGreaterThan(890);
    expect(Number(info.expires_in)).toBeLessThanOrEqual(900);
    expect(info.email).toBeUndefined();
  });

  it('shows the email when the token carries the userinfo.email scope', async () => {
    const token = (
      await call(DEPLOYER, 'generateAccessToken', {
        scope: [...CLOUD_PLATFORM, 'https://www.googleapis.com/auth/userinfo.email'],
      })
    ).body.accessToken as string;
    const response = await fetch(
      `${sandbox.base}/oauth2/v3/tokeninfo?access_token=${encodeURIComponent(token)}`,
    );
    expect(await response.json()).toMatchObject({ email: DEPLOYER, email_verified: 'true' });
  });

  it('names the federated principal of an STS token (a sandbox extension)', async () => {
    const response = await fetch(
      `${sandbox.base}/oauth2/v3/tokeninfo?access_token=${encodeURIComponent(federated)}`,
    );
    const info = (await response.json()) as Record<string, string>;
    expect(info.sub).toMatch(
      /^principal:\/\/iam\.googleapis\.com\/projects\/123456789012\/locations\/global\/workloadIdentityPools\/ci-pool\/subject\/repo:octo-org\/octo-repo:ref:refs\/heads\/main$/,
    );
  });

  it('answers invalid_token for a token it never issued', async () => {
    const response = await fetch(`${sandbox.base}/oauth2/v3/tokeninfo?access_token=ya29.c.unknown`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Invalid Value',
    });
  });
});
