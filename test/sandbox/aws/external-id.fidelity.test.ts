import {
  AssumeRoleCommand,
  AssumeRoleWithWebIdentityCommand,
  STSServiceException,
  type Credentials,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRole, startStsHarness, type StsHarness } from './harness.ts';

/**
 * Role chaining into a role whose trust policy conditions on `sts:ExternalId`, driven by the
 * official SDK. STS API reference, "AssumeRole — Request Parameters": ExternalId has a length
 * of 2 to 1224 and the pattern `[\w+=,.@:\/-]*`; IAM User Guide, "Access to AWS accounts owned
 * by third parties": the trust policy's `sts:ExternalId` condition must match the value sent.
 */
const ACCOUNT = '111122223333';
const vendorRole = `arn:aws:iam::${ACCOUNT}:role/vendor-audit`;
const sessionArn = `arn:aws:sts::${ACCOUNT}:assumed-role/wif-sandbox-deploy/ext`;

let h: StsHarness;
let deploy: Credentials;

beforeAll(async () => {
  h = await startStsHarness(() => ({
    accounts: [ACCOUNT],
    oidcProviders: [{ account: ACCOUNT, url: '${issuer}', clientIds: ['sts.amazonaws.com'] }],
    roles: [
      {
        arn: deployRole,
        trustPolicy: {
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/\${issuerHost}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringEquals: { '${issuerHost}:aud': 'sts.amazonaws.com' } },
            },
          ],
        },
      },
      {
        arn: vendorRole,
        trustPolicy: {
          Statement: [
            {
              Sid: 'VendorWithExternalId',
              Effect: 'Allow',
              Principal: { AWS: deployRole },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': 'acme:audit-7f3a' } },
            },
          ],
        },
      },
    ],
  }));
  const token = await h.issuer.mint({ platform: 'github' }, { audience: 'sts.amazonaws.com' });
  const out = await h.client().send(
    new AssumeRoleWithWebIdentityCommand({
      RoleArn: deployRole,
      RoleSessionName: 'ext',
      WebIdentityToken: token,
    }),
  );
  deploy = out.Credentials!;
});
afterAll(async () => {
  await h.close();
});

function chain(externalId: string | undefined): Promise<unknown> {
  return h
    .client({
      credentials: {
        accessKeyId: deploy.AccessKeyId!,
        secretAccessKey: deploy.SecretAccessKey!,
        sessionToken: deploy.SessionToken!,
      },
      maxAttempts: 1,
    })
    .send(
      new AssumeRoleCommand({
        RoleArn: vendorRole,
        RoleSessionName: 'audit',
        ...(externalId === undefined ? {} : { ExternalId: externalId }),
      }),
    );
}

async function failure(promise: Promise<unknown>): Promise<STSServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof STSServiceException) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('AssumeRole with ExternalId through @aws-sdk/client-sts', () => {
  it('assumes the role when ExternalId matches the trust policy', async () => {
    const out = (await chain('acme:audit-7f3a')) as {
      AssumedRoleUser?: { Arn?: string };
    };
    expect(out.AssumedRoleUser?.Arn).toBe(
      `arn:aws:sts::${ACCOUNT}:assumed-role/vendor-audit/audit`,
    );
  });

  it('is AccessDenied for another ExternalId, and the log names both values', async () => {
    const error = await failure(chain('acme:audit-0000'));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toBe(
      `User: ${sessionArn} is not authorized to perform: sts:AssumeRole on resource: ${vendorRole}`,
    );
    expect(h.logs.at(-1)).toContain(
      'sts:ExternalId is `acme:audit-0000`; statement VendorWithExternalId expects StringEquals `acme:audit-7f3a`',
    );
  });

  it('is AccessDenied without ExternalId, and the log says none was sent', async () => {
    const error = await failure(chain(undefined));
    expect(error.name).toBe('AccessDenied');
    expect(h.logs.at(-1)).toContain('the caller sent no ExternalId');
  });

  it('answers ValidationError for an ExternalId shorter than 2 characters', async () => {
    const error = await failure(chain('x'));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe(
      "1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
  });

  it('answers ValidationError for an ExternalId outside its pattern', async () => {
    const error = await failure(chain('acme audit'));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toContain("at 'externalId' failed to satisfy constraint");
  });
});
