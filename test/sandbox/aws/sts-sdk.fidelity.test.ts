import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  ExpiredTokenException,
  GetCallerIdentityCommand,
  IDPCommunicationErrorException,
  IDPRejectedClaimException,
  InvalidIdentityTokenException,
  MalformedPolicyDocumentException,
  STSServiceException,
  type AssumeRoleWithWebIdentityCommandInput,
  type Credentials,
} from '@aws-sdk/client-sts';
import { fromTokenFile, fromWebToken } from '@aws-sdk/credential-provider-web-identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployRole, readonlyRole, startStsHarness, type StsHarness } from './harness.ts';

/**
 * The official AWS SDK for JavaScript v3 against the STS emulator. Each behaviour names the
 * documentation page it comes from: the STS API reference ("AssumeRoleWithWebIdentity",
 * "AssumeRole", "GetCallerIdentity", "Common Errors"), the IAM User Guide ("Create an OpenID
 * Connect (OIDC) identity provider in IAM", "Role chaining", "AWS Signature Version 4 for API
 * requests") and the SDK's own retry documentation ("Retry behavior" in the AWS SDKs and Tools
 * Reference Guide).
 */
let h: StsHarness;

beforeAll(async () => {
  h = await startStsHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.faults.clear();
  h.resetClock();
});

async function githubToken(
  options: { ref?: string; audience?: string; now?: Date; issuer?: string } = {},
): Promise<string> {
  return h.issuer.mint(
    { platform: 'github', ...(options.ref === undefined ? {} : { ref: options.ref }) },
    {
      audience: options.audience ?? 'sts.amazonaws.com',
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    },
  );
}

function webIdentity(
  token: string,
  extra: Partial<AssumeRoleWithWebIdentityCommandInput> = {},
): AssumeRoleWithWebIdentityCommand {
  return new AssumeRoleWithWebIdentityCommand({
    RoleArn: deployRole,
    RoleSessionName: 'fidelity',
    WebIdentityToken: token,
    ...extra,
  });
}

async function assumeDeploy(durationSeconds?: number): Promise<Credentials> {
  const out = await h
    .client()
    .send(
      webIdentity(
        await githubToken(),
        durationSeconds === undefined ? {} : { DurationSeconds: durationSeconds },
      ),
    );
  return out.Credentials!;
}

function asIdentity(c: Credentials): {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
} {
  return {
    accessKeyId: c.AccessKeyId!,
    secretAccessKey: c.SecretAccessKey!,
    sessionToken: c.SessionToken!,
  };
}

/** Runs a call expected to fail and returns the SDK's error. */
async function failure(promise: Promise<unknown>): Promise<STSServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof STSServiceException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('AssumeRoleWithWebIdentity through @aws-sdk/client-sts', () => {
  it('returns temporary credentials that expire within the requested duration (API reference: AssumeRoleWithWebIdentity, Response Elements)', async () => {
    const before = Date.now();
    const out = await h.client().send(webIdentity(await githubToken(), { DurationSeconds: 900 }));
    const after = Date.now();
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey).toHaveLength(40);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    expect(c.Expiration).toBeInstanceOf(Date);
    // Expiration is reported to the second, so it may fall up to 1 s before `before + 900 s`.
    expect(c.Expiration!.getTime()).toBeGreaterThan(before + 899_000);
    expect(c.Expiration!.getTime()).toBeLessThanOrEqual(after + 900_000);
    expect(out.SubjectFromWebIdentityToken).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(out.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/wif-sandbox-deploy/fidelity',
    );
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:fidelity$/);
    // "For OpenID Connect ID tokens, this contains the value of the iss field."
    expect(out.Provider).toBe(h.issuer.url);
    expect(out.Audience).toBe('sts.amazonaws.com');
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- still on the wire; absent without a session policy
    expect(out.PackedPolicySize).toBeUndefined();
    expect(out.SessionTokenSize).toBe(Buffer.byteLength(c.SessionToken!));
    expect(out.SessionTokenUtilization).toBeGreaterThan(0);
    expect(out.SessionTokenUtilization).toBeLessThanOrEqual(100);
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports PackedPolicySize when a session policy is passed (Response Elements: PackedPolicySize)', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    });
    const out = await h.client().send(webIdentity(await githubToken(), { Policy: policy }));
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated in the 2026 model, still returned
    const packed = out.PackedPolicySize;
    expect(packed).toBeGreaterThan(0);
    expect(packed).toBeLessThanOrEqual(100);
  });

  it('pads the session token to MinimumSessionTokenSize and refuses more than 4,096 bytes (Request Parameters: MinimumSessionTokenSize)', async () => {
    const out = await h
      .client()
      .send(webIdentity(await githubToken(), { MinimumSessionTokenSize: 2000 }));
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThanOrEqual(2000);
    expect(out.SessionTokenSize).toBe(out.Credentials!.SessionToken!.length);
    const error = await failure(
      h.client().send(webIdentity(await githubToken(), { MinimumSessionTokenSize: 5000 })),
    );
    expect(error.name).toBe('ValidationError');
  });

  it('surfaces a trust-policy mismatch as AccessDenied, a generic STSServiceException (Errors: AccessDenied)', async () => {
    const error = await failure(
      h.client().send(webIdentity(await githubToken({ ref: 'refs/heads/feature' }))),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe('Not authorized to perform sts:AssumeRoleWithWebIdentity');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(
      h.logs.some((line) => line.includes('denied') && line.includes('refs/heads/feature')),
    ).toBe(true);
  });

  it('refuses a role that does not exist exactly like a trust mismatch (Errors: AccessDenied)', async () => {
    const error = await failure(
      h.client().send(
        webIdentity(await githubToken(), {
          RoleArn: 'arn:aws:iam::111122223333:role/does-not-exist',
        }),
      ),
    );
    expect(error.name).toBe('AccessDenied');
  });

  it('rejects an audience missing from the provider client-ID list as InvalidIdentityTokenException (IAM: OIDC provider "Audience")', async () => {
    const error = await failure(
      h.client().send(webIdentity(await githubToken({ audience: 'https://github.com/octo-org' }))),
    );
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
    expect(error.message).toBe('Incorrect token audience');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects a token from an issuer with no IAM OIDC provider in the account (Errors: InvalidIdentityToken)', async () => {
    const issuer = `${h.issuer.url}/gitlab`;
    const error = await failure(h.client().send(webIdentity(await githubToken({ issuer }))));
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
    expect(error.message).toBe(`No OpenIDConnect provider found in your account for ${issuer}`);
  });

  it('rejects a token whose signature does not verify against the issuer JWKS (Errors: InvalidIdentityToken)', async () => {
    const [header, payload, signature] = (await githubToken()).split('.') as [
      string,
      string,
      string,
    ];
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const error = await failure(h.client().send(webIdentity(`${header}.${payload}.${flipped}`)));
    expect(error).toBeInstanceOf(InvalidIdentityTokenException);
    expect(error.$retryable).toBeUndefined();
  });

  it('rejects an expired token as ExpiredTokenException beyond the documented clock skew (Errors: ExpiredTokenException)', async () => {
    const token = await githubToken({ now: new Date(Date.now() - 3600_000) });
    const error = await failure(h.client().send(webIdentity(token)));
    expect(error).toBeInstanceOf(ExpiredTokenException);
    expect(error.name).toBe('ExpiredTokenException');
    expect(error.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/,
    );
  });

  it('still accepts a token that expired within the allowed five minutes of clock skew', async () => {
    // GitHub tokens live 300 s: issued 420 s ago, this one expired two minutes ago.
    const token = await githubToken({ now: new Date(Date.now() - 420_000) });
    const out = await h.client().send(webIdentity(token));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  it('reports an unreachable identity provider as IDPCommunicationErrorException, which the SDK marks retryable (Errors: IDPCommunicationError)', async () => {
    const closedPort = await freePort();
    const issuer = `http://127.0.0.1:${closedPort}`;
    const unreachable = await startStsHarness(() => ({
      accounts: ['111122223333'],
      oidcProviders: [{ account: '111122223333', url: issuer, clientIds: ['sts.amazonaws.com'] }],
      roles: [
        {
          arn: deployRole,
          trustPolicy: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: '*' },
                Action: 'sts:AssumeRoleWithWebIdentity',
              },
            ],
          },
        },
      ],
    }));
    try {
      const token = await unreachable.issuer.mint(undefined, {
        audience: 'sts.amazonaws.com',
        issuer,
      });
      const error = await failure(unreachable.client({ maxAttempts: 2 }).send(webIdentity(token)));
      expect(error).toBeInstanceOf(IDPCommunicationErrorException);
      expect(error.$retryable).toEqual({});
      expect(error.$metadata.attempts).toBe(2);
    } finally {
      await unreachable.close();
    }
  });

  it('retries an injected IDPCommunicationError and succeeds once the fault is spent (SDK retry behavior: retryable errors)', async () => {
    h.faults.set({ errorRate: 1, errorCode: 'IDPCommunicationError', remaining: 1 });
    const out = await h.client().send(webIdentity(await githubToken()));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(out.$metadata.attempts).toBe(2);
    expect(h.faults.settings.remaining).toBeUndefined();
  });

  it('surfaces an injected IDPRejectedClaim as IDPRejectedClaimException with HTTP 403 (Errors: IDPRejectedClaim)', async () => {
    h.faults.set({ errorRate: 1, errorCode: 'IDPRejectedClaim', remaining: 1 });
    const error = await failure(h.client().send(webIdentity(await githubToken())));
    expect(error).toBeInstanceOf(IDPRejectedClaimException);
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.$metadata.attempts).toBe(1);
  });

  it('retries Throttling ("Rate exceeded") as a throttling error until it passes (Common Errors: Throttling; SDK retry behavior)', async () => {
    h.faults.set({ throttleRate: 1, remaining: 2 });
    const out = await h.client().send(webIdentity(await githubToken()));
    expect(out.$metadata.attempts).toBe(3);
    expect(h.faults.settings.throttleRate).toBe(0);
  });

  it('gives up on persistent Throttling after maxAttempts with the wire code as the error name', async () => {
    h.faults.set({ throttleRate: 1 });
    const error = await failure(
      h.client({ maxAttempts: 2 }).send(webIdentity(await githubToken())),
    );
    expect(error.name).toBe('Throttling');
    expect(error.message).toBe('Rate exceeded');
    expect(error.$metadata.attempts).toBe(2);
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('survives an injected connection reset by retrying (SDK retry behavior: transient errors)', async () => {
    h.faults.set({ resetRate: 1, remaining: 1 });
    const out = await h.client().send(webIdentity(await githubToken()));
    expect(out.$metadata.attempts).toBe(2);
  });

  it('holds answers back by the injected latency: a client timeout far below it fires', async () => {
    h.faults.set({ latencyMs: 3000 });
    const client = h.client({
      maxAttempts: 1,
      requestHandler: { requestTimeout: 100, throwOnRequestTimeout: true },
    });
    await expect(client.send(webIdentity(await githubToken()))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    h.faults.clear();
    const out = await client.send(webIdentity(await githubToken()));
    expect(out.$metadata.httpStatusCode).toBe(200);
  });

  describe('ValidationError (API reference: AssumeRoleWithWebIdentity, Request Parameters)', () => {
    it('refuses DurationSeconds above the role MaxSessionDuration', async () => {
      const error = await failure(
        h.client().send(webIdentity(await githubToken(), { DurationSeconds: 7200 })),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe(
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
      expect(error.$metadata.httpStatusCode).toBe(400);
    });

    it('refuses DurationSeconds below 900', async () => {
      const error = await failure(
        h.client().send(webIdentity(await githubToken(), { DurationSeconds: 899 })),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe(
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      );
    });

    it('refuses a RoleSessionName outside 2–64 characters of [\\w+=,.@-]', async () => {
      const short = await failure(
        h.client().send(webIdentity(await githubToken(), { RoleSessionName: 'a' })),
      );
      expect(short.message).toContain(
        "at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      );
      const bad = await failure(
        h.client().send(webIdentity(await githubToken(), { RoleSessionName: 'has space' })),
      );
      expect(bad.name).toBe('ValidationError');
      expect(bad.message).toContain('Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    });

    it('refuses a session policy over 2,048 characters without echoing it', async () => {
      const policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(2100) }],
      });
      const error = await failure(
        h.client().send(webIdentity(await githubToken(), { Policy: policy })),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.message).toContain(
        "Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048",
      );
      expect(error.message).not.toContain('xxxx');
    });

    it('refuses more than 10 managed policy ARNs', async () => {
      const PolicyArns = Array.from({ length: 11 }, (_, i) => ({
        arn: `arn:aws:iam::aws:policy/Policy${i}`,
      }));
      const error = await failure(
        h.client().send(webIdentity(await githubToken(), { PolicyArns })),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.message).toContain(
        "at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10",
      );
    });

    it('refuses a malformed RoleArn', async () => {
      const error = await failure(
        h
          .client()
          .send(
            webIdentity(await githubToken(), { RoleArn: 'arn:aws:iam::not-an-account:role/x' }),
          ),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.message).toBe('Request ARN is invalid');
    });

    it('reports a session policy that is not JSON as MalformedPolicyDocumentException (Errors: MalformedPolicyDocument)', async () => {
      const error = await failure(
        h.client().send(webIdentity(await githubToken(), { Policy: '{"Statement": [' })),
      );
      expect(error).toBeInstanceOf(MalformedPolicyDocumentException);
    });
  });
});

describe('SigV4-signed calls with the issued credentials', () => {
  it('GetCallerIdentity answers for the role session (API reference: GetCallerIdentity)', async () => {
    const creds = await assumeDeploy();
    const who = await h
      .client({ credentials: asIdentity(creds) })
      .send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe('111122223333');
    expect(who.Arn).toBe('arn:aws:sts::111122223333:assumed-role/wif-sandbox-deploy/fidelity');
    expect(who.UserId).toMatch(/^AROA[A-Z2-7]{17}:fidelity$/);
  });

  it('AssumeRole chains into a role that trusts the session role, capped at one hour (IAM: Role chaining)', async () => {
    const creds = await assumeDeploy();
    const client = h.client({ credentials: asIdentity(creds) });
    const chained = await client.send(
      new AssumeRoleCommand({ RoleArn: readonlyRole, RoleSessionName: 'chained' }),
    );
    // Measured after the answer: the service stamps the expiry when it handles the request,
    // which may be a few milliseconds after the request left.
    const after = Date.now();
    expect(chained.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/wif-sandbox-readonly/chained',
    );
    expect(chained.Credentials!.Expiration!.getTime()).toBeLessThanOrEqual(after + 3600_000);
    const who = await h
      .client({ credentials: asIdentity(chained.Credentials!) })
      .send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::111122223333:assumed-role/wif-sandbox-readonly/chained');

    const tooLong = await failure(
      client.send(
        new AssumeRoleCommand({
          RoleArn: readonlyRole,
          RoleSessionName: 'chained',
          DurationSeconds: 7200,
        }),
      ),
    );
    expect(tooLong.name).toBe('ValidationError');
    expect(tooLong.message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  });

  it('AssumeRole into a role whose trust policy does not name the caller is AccessDenied (API reference: AssumeRole, Errors)', async () => {
    const readonly = await h
      .client({ credentials: asIdentity(await assumeDeploy()) })
      .send(new AssumeRoleCommand({ RoleArn: readonlyRole, RoleSessionName: 'hop1' }));
    const error = await failure(
      h
        .client({ credentials: asIdentity(readonly.Credentials!) })
        .send(new AssumeRoleCommand({ RoleArn: deployRole, RoleSessionName: 'hop2' })),
    );
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: arn:aws:sts::111122223333:assumed-role/wif-sandbox-readonly/hop1 is not authorized to perform: sts:AssumeRole on resource: ${deployRole}`,
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('a request signed with the wrong secret fails with SignatureDoesNotMatch (Signature Version 4: signature mismatch)', async () => {
    const creds = asIdentity(await assumeDeploy());
    const wrong = {
      ...creds,
      secretAccessKey: `${creds.secretAccessKey.slice(0, -1)}${creds.secretAccessKey.endsWith('A') ? 'B' : 'A'}`,
    };
    const error = await failure(
      h.client({ credentials: wrong }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(
      /^The request signature we calculated does not match the signature you provided\./,
    );
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('an access key the service never issued fails with InvalidClientTokenId (Common Errors)', async () => {
    const creds = asIdentity(await assumeDeploy());
    const error = await failure(
      h
        .client({ credentials: { ...creds, accessKeyId: 'ASIAAAAAAAAAAAAAAAAA' } })
        .send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('credentials stop working when they expire: ExpiredToken (Temporary security credentials)', async () => {
    const creds = asIdentity(await assumeDeploy(900));
    h.advanceClock(901);
    const error = await failure(
      h.client({ credentials: creds }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('ExpiredToken');
    expect(error.message).toBe('The security token included in the request is expired');
  });

  it('rejects a signature dated beyond the allowed skew with "Signature expired" (IAM: Elements of an AWS API request signature)', async () => {
    const creds = asIdentity(await assumeDeploy());
    h.advanceClock(1800);
    const error = await failure(
      h.client({ credentials: creds, maxAttempts: 1 }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
  });

  it('lets the SDK correct its clock from the Date header and retry once (SDK: clock skew correction)', async () => {
    const creds = asIdentity(await assumeDeploy());
    h.advanceClock(1800);
    const client = h.client({ credentials: creds });
    const who = await client.send(new GetCallerIdentityCommand({}));
    expect(who.$metadata.attempts).toBe(2);
    expect(client.config.systemClockOffset).toBeGreaterThan(1700_000);
  });

  it('an unsigned GetCallerIdentity is refused with MissingAuthenticationToken (Common Errors)', async () => {
    const response = await fetch(h.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('credential providers (@aws-sdk/credential-provider-web-identity, re-exported by @aws-sdk/credential-providers)', () => {
  it('fromWebToken obtains credentials from the emulator', async () => {
    const provider = fromWebToken({
      roleArn: deployRole,
      roleSessionName: 'from-web-token',
      webIdentityToken: await githubToken(),
      clientConfig: { endpoint: h.endpoint, region: 'us-east-1' },
    });
    const identity = await provider();
    expect(identity.accessKeyId).toMatch(/^ASIA/);
    expect(identity.expiration).toBeInstanceOf(Date);
    const who = await h.client({ credentials: identity }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(
      'arn:aws:sts::111122223333:assumed-role/wif-sandbox-deploy/from-web-token',
    );
  });

  it('fromTokenFile reads the token from a file, as AWS_WEB_IDENTITY_TOKEN_FILE users do', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wif-aws-token-'));
    try {
      const file = join(dir, 'token');
      await writeFile(file, await githubToken(), { mode: 0o600 });
      const provider = fromTokenFile({
        webIdentityTokenFile: file,
        roleArn: deployRole,
        roleSessionName: 'from-token-file',
        clientConfig: { endpoint: h.endpoint, region: 'us-east-1' },
      });
      const identity = await provider();
      expect(identity.sessionToken).toBeDefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}
