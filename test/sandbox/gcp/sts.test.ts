import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startGcpSandbox, stsAudience, tokenAudience, type GcpSandbox } from './harness.ts';

// Wire format: https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token
// Error descriptions: https://cloud.google.com/iam/docs/troubleshooting-workload-identity-federation
// and PROTOCOLS.md §4.5.

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

let sandbox: GcpSandbox;

beforeAll(async () => {
  sandbox = await startGcpSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

function form(
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return post(`${sandbox.base}/v1/token`, new URLSearchParams(fields).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });
}

async function exchange(
  overrides: Record<string, string> = {},
  mint: Parameters<GcpSandbox['issuer']['mint']>[1] = { audience: tokenAudience('github') },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const subject = await sandbox.issuer.mint({ platform: 'github' }, mint);
  return form({
    grant_type: GRANT,
    audience: stsAudience('github'),
    scope: CLOUD_PLATFORM,
    requested_token_type: ACCESS_TOKEN,
    subject_token: subject,
    subject_token_type: JWT,
    ...overrides,
  });
}

describe('GCP STS token exchange', () => {
  it('exchanges a form-encoded request (as google-auth-library sends it) for a federated access token', async () => {
    const answer = await exchange();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ issued_token_type: ACCESS_TOKEN, token_type: 'Bearer' });
    expect(answer.body.access_token).toMatch(/^ya29\.d\./);
  });

  it('accepts JSON with proto field names, as google-github-actions/auth sends it', async () => {
    const subject = await sandbox.issuer.mint(
      { platform: 'github' },
      { audience: tokenAudience('github') },
    );
    const answer = await post(
      `${sandbox.base}/v1/token`,
      JSON.stringify({
        audience: stsAudience('github'),
        grantType: GRANT,
        requestedTokenType: ACCESS_TOKEN,
        scope: CLOUD_PLATFORM,
        subjectTokenType: JWT,
        subjectToken: subject,
      }),
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.token_type).toBe('Bearer');
  });

  it('accepts the id_token subject token type', async () => {
    const answer = await exchange({
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    });
    expect(answer.status).toBe(200);
  });

  it('caps the federated token at the subject token expiry (a 5-minute GitHub token gives under 300 s)', async () => {
    const answer = await exchange();
    const expiresIn = answer.body.expires_in as number;
    expect(expiresIn).toBeLessThanOrEqual(299);
    expect(expiresIn).toBeGreaterThan(240);
  });

  it('caps the federated token at one hour, reported as 3599 s', async () => {
    const answer = await exchange({}, { audience: tokenAudience('github'), lifetimeSeconds: 7200 });
    expect(answer.body.expires_in).toBe(3599);
  });

  it('accepts the audience in its //iam.googleapis.com form too when allowedAudiences is empty', async () => {
    const answer = await exchange({}, { audience: stsAudience('github') });
    expect(answer.status).toBe(200);
  });

  it('refuses a token whose aud is not an allowed audience', async () => {
    const answer = await exchange({}, { audience: 'https://github.com/octo-org' });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'The audience in JWT does not match the expected values.',
      },
    });
  });

  it('accepts only the listed audiences once allowedAudiences is set', async () => {
    const listed = await exchange(
      { audience: stsAudience('custom-aud') },
      { audience: 'https://wif.example/gcp' },
    );
    expect(listed.status).toBe(200);
    const defaultForm = await exchange(
      { audience: stsAudience('custom-aud') },
      { audience: tokenAudience('custom-aud') },
    );
    expect(defaultForm.body.error).toBe('invalid_grant');
  });

  it('refuses a token the attribute condition rejects with unauthorized_client', async () => {
    const subject = await sandbox.issuer.mint(
      { platform: 'github', repository: 'octo-org/other-repo' },
      { audience: tokenAudience('github') },
    );
    const answer = await exchange({ subject_token: subject });
    expect(answer).toEqual({
      status: 400,
      body: {
        error: 'unauthorized_client',
        error_description: 'The given credential is rejected by the attribute condition.',
      },
    });
  });

  it('logs the policy engine hint for a refusal, so the sandbox explains what Google does not', async () => {
    const subject = await sandbox.issuer.mint(
      { platform: 'github', repository: 'octo-org/fork' },
      { audience: tokenAudience('github') },
    );
    const before = sandbox.logs.length;
    await exchange({ subject_token: subject });
    // The wording is the engine's; what matters is that the log names the claim that failed.
    const refusal = sandbox.logs.slice(before).find((line) => line.startsWith('gcp: refused: '));
    expect(refusal).toContain('octo-org/fork');
    expect(refusal).toContain('octo-org/octo-repo');
  });

  it('refuses a token from another issuer, naming both issuers', async () => {
    const answer = await exchange(
      {},
      { audience: tokenAudience('github'), issuer: `${sandbox.issuer.url}/gitlab` },
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'invalid_grant',
      error_description: `The issuer in ID Token ${sandbox.issuer.url}/gitlab does not match the expected one in config: ${sandbox.issuer.url}`,
    });
  });

  it('refuses an expired token as stale, naming its iat', async () => {
    const issuedAt = new Date(Date.now() - 3_600_000);
    const answer = await exchange({}, { audience: tokenAudience('github'), now: issuedAt });
    expect(answer.body).toEqual({
      error: 'invalid_grant',
      error_description: `ID Token issued at ${Math.floor(issuedAt.getTime() / 1000)} is stale to sign-in.`,
    });
  });

  it('refuses a token signed with a key the issuer does not publish', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ repository: 'octo-org/octo-repo' })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(sandbox.issuer.url)
      .setAudience(tokenAudience('github'))
      .setSubject('repo:octo-org/octo-repo:ref:refs/heads/main')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    const answer = await exchange({ subject_token: forged });
    expect(answer.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Unable to verify the ID Token signature.',
    });
  });

  it('refuses a google.subject longer than 127 bytes with invalid_request', async () => {
    const answer = await exchange(
      { audience: stsAudience('long-subject') },
      { audience: tokenAudience('long-subject') },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.error_description).toMatch(
      /^The size of mapped attribute google\.subject exceeds the 127 bytes limit/,
    );
  });

  it('answers a malformed audience with invalid_request', async () => {
    const answer = await exchange({
      audience:
        'projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github',
    });
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.error_description).toMatch(
      /^Invalid value for "audience"\. This value should be the full resource name/,
    );
  });

  it.each([
    ['an unknown provider', stsAudience('nope')],
    ['a disabled provider', stsAudience('retired')],
    [
      'another project number',
      '//iam.googleapis.com/projects/999/locations/global/workloadIdentityPools/ci-pool/providers/github',
    ],
  ])('answers %s with invalid_target', async (_case, audience) => {
    const answer = await exchange({ audience });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_target');
    expect(answer.body.error_description).toMatch(/pool or provider is disabled or deleted/);
  });

  it.each([
    ['grant_type', { grant_type: 'client_credentials' }],
    ['requested_token_type', { requested_token_type: 'urn:ietf:params:oauth:token-type:id_token' }],
    ['subject_token_type', { subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }],
    ['subject_token', { subject_token: '' }],
  ])('answers a wrong %s with invalid_request naming the field', async (field, overrides) => {
    const answer = await exchange(overrides);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.error_description).toContain(`"${field}"`);
  });

  it('rejects a JSON body with a field STS does not define in the envelope, as the JSON transcoder does', async () => {
    const answer = await post(
      `${sandbox.base}/v1/token`,
      JSON.stringify({ grantType: GRANT, subject: 'x' }),
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'Invalid JSON payload received. Unknown name "subject": Cannot find field.',
    });
  });

  it('never logs the subject token or the access token it issues', async () => {
    const subject = await sandbox.issuer.mint(
      { platform: 'github' },
      { audience: tokenAudience('github') },
    );
    const answer = await exchange({ subject_token: subject });
    const text = sandbox.logs.join('\n');
    expect(text).not.toContain(subject);
    expect(text).not.toContain(answer.body.access_token as string);
  });
});
