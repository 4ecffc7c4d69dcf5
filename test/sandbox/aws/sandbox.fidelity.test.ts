import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient,
  STSServiceException,
  type STSClientConfig,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../src/sandbox/host.ts';
import { deployRole } from './harness.ts';

/**
 * `wif sandbox` out of the box: the AWS STS emulator's embedded default config trusts the
 * sandbox issuer's default GitHub job, and the variables it exports are all the official SDK
 * needs (AWS SDKs and Tools Reference Guide, "Service-specific endpoints":
 * `AWS_ENDPOINT_URL_STS`; "AWS Region": `AWS_REGION`).
 */
let sandbox: Sandbox;
const clients: STSClient[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await sandbox.close();
});

function client(extra: STSClientConfig = {}): STSClient {
  const made = new STSClient({
    region: sandbox.env['AWS_REGION'] ?? '',
    endpoint: sandbox.env['AWS_ENDPOINT_URL_STS'] ?? '',
    ...extra,
  });
  clients.push(made);
  return made;
}

describe('AWS STS in wif sandbox', () => {
  it('exports the endpoint and region variables', () => {
    expect(sandbox.env['AWS_ENDPOINT_URL_STS']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.env['AWS_REGION']).toBe('us-east-1');
  });

  it('trusts the default GitHub job with the default config, and the credentials sign GetCallerIdentity', async () => {
    const token = await sandbox.issuer.mint(undefined, { audience: 'sts.amazonaws.com' });
    const out = await client().send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: deployRole,
        RoleSessionName: 'sandbox',
        WebIdentityToken: token,
      }),
    );
    const c = out.Credentials!;
    const who = await client({
      credentials: {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      },
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::111122223333:assumed-role/wif-sandbox-deploy/sandbox');
  });

  it('takes fault knobs from the control endpoint (PUT /faults/aws-sts)', async () => {
    const put = await fetch(`${sandbox.controlUrl.replace(/\/$/, '')}/faults/aws-sts`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorCode: 'IDPRejectedClaim', remaining: 1 }),
    });
    expect(put.status).toBe(200);
    const token = await sandbox.issuer.mint(undefined, { audience: 'sts.amazonaws.com' });
    const command = new AssumeRoleWithWebIdentityCommand({
      RoleArn: deployRole,
      RoleSessionName: 'sandbox',
      WebIdentityToken: token,
    });
    const error = await client()
      .send(command)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(STSServiceException);
    expect((error as STSServiceException).name).toBe('IDPRejectedClaimException');
    // `remaining: 1` is spent: the next call goes through.
    const out = await client().send(command);
    expect(out.$metadata.httpStatusCode).toBe(200);
  });
});
