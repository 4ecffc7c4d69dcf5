import { getIDToken } from '@actions/core';
import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  startIssuer,
  type IssuerHandle,
  type IssuerJob,
} from '../../../src/sandbox/oidc/issuer.ts';

let issuer: IssuerHandle;

beforeAll(async () => {
  issuer = await startIssuer();
  // getIDToken masks the token with a `::add-mask::` workflow command on stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await issuer.close();
});

afterEach(() => {
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
});

function runAs(job: IssuerJob, requestToken = job.requestToken): void {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = job.requestUrl;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = requestToken;
}

describe('GitHub token request endpoint, driven by @actions/core getIDToken()', () => {
  it('hands out a URL that already carries ?api-version=2.0', () => {
    const job = issuer.addJob();
    expect(new URL(job.requestUrl).search).toBe('?api-version=2.0');
    expect(job.requestUrl).toMatch(
      /\/_apis\/distributedtask\/hubs\/Actions\/plans\/[0-9a-f-]{36}\/jobs\/[0-9a-f-]{36}\/idtoken\?/,
    );
  });

  it("issues a token for the requested audience with the job's claims", async () => {
    const job = issuer.addJob({ repository: 'acme/payments', environment: 'prod' });
    runAs(job);
    const claims = decodeJwt(await getIDToken('sts.amazonaws.com'));
    expect(claims).toMatchObject({
      iss: issuer.url,
      aud: 'sts.amazonaws.com',
      sub: 'repo:acme/payments:environment:prod',
      repository: 'acme/payments',
      environment: 'prod',
    });
  });

  it('encodes an audience with reserved characters so it arrives intact', async () => {
    const job = issuer.addJob();
    runAs(job);
    const audience = 'api://AzureADTokenExchange?x=1&y=2';
    expect(decodeJwt(await getIDToken(audience)).aud).toBe(audience);
  });

  it('defaults the audience to the repository owner URL when none is asked for', async () => {
    const job = issuer.addJob();
    runAs(job);
    expect(decodeJwt(await getIDToken()).aud).toBe('https://github.com/octo-org');
  });

  it('refuses a wrong request token with 401, and the error reaches the caller', async () => {
    const job = issuer.addJob();
    runAs(job, 'not-the-request-token');
    await expect(getIDToken('sts.amazonaws.com')).rejects.toThrow(/Error Code : 401/);
  });

  it('refuses a request token that belongs to another job', async () => {
    const mine = issuer.addJob();
    const other = issuer.addJob();
    runAs(mine, other.requestToken);
    await expect(getIDToken('x')).rejects.toThrow(/401/);
  });

  it("refuses a completed job with the Actions service's CannotGenerateIdTokenException body", async () => {
    const job = issuer.addJob();
    job.complete();
    runAs(job);
    await expect(getIDToken('sts.amazonaws.com')).rejects.toThrow(/Error Code : 400/);

    const response = await fetch(`${job.requestUrl}&audience=x`, {
      headers: { authorization: `Bearer ${job.requestToken}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      $id: '1',
      innerException: null,
      message: "Can't issue ID_TOKEN for job in 'Completed' state.",
      typeName:
        'GitHub.Actions.Runtime.WebApi.CannotGenerateIdTokenException, GitHub.Actions.Runtime.WebApi',
      typeKey: 'CannotGenerateIdTokenException',
      errorCode: 0,
      eventId: 3000,
    });
  });

  it('answers 405 to anything but GET', async () => {
    const job = issuer.addJob();
    const response = await fetch(job.requestUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${job.requestToken}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('answers 401 when no Authorization header is sent', async () => {
    const job = issuer.addJob();
    expect((await fetch(job.requestUrl)).status).toBe(401);
  });

  it('answers 404 for a job it never registered', async () => {
    const job = issuer.addJob();
    const unknown = job.requestUrl.replace(
      /jobs\/[0-9a-f-]{36}/,
      'jobs/00000000-0000-0000-0000-000000000000',
    );
    const response = await fetch(unknown, {
      headers: { authorization: `Bearer ${job.requestToken}` },
    });
    expect(response.status).toBe(404);
  });
});
