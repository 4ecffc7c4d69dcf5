import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AuthenticationRequiredError,
  ClientAssertionCredential,
  CredentialUnavailableError,
  WorkloadIdentityCredential,
} from '@azure/identity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessToken } from '../../../src/sandbox/azure/index.ts';
import { noFaults } from '../../../src/sandbox/faults.ts';
import { ARM_SCOPE, startEntraHarness, type EntraHarness } from './harness.ts';

/**
 * Fidelity: the official @azure/identity SDK against the emulator, trusting its CA either
 * through the documented `tlsOptions.ca` pipeline option (in process) or through
 * NODE_EXTRA_CA_CERTS (a child process, since Node reads it at start). What each refusal must
 * look like is what the SDK makes of Entra's documented answers: MSAL turns an AADSTS body into
 * a ServerError, which @azure/identity reports as AuthenticationRequiredError carrying
 * `<error>: Error(s): <code> … AADSTS<code>: …`; a tenant whose discovery document is refused
 * becomes CredentialUnavailableError `endpoints_resolution_error` (MSAL "errors" reference).
 * Codes and texts: "Microsoft Entra authentication and authorization error codes" and
 * "Workload identity federation: considerations and restrictions" (case-sensitive matching).
 */

const run = promisify(execFile);
let h: EntraHarness;

beforeAll(async () => {
  h = await startEntraHarness();
});

afterAll(async () => {
  await h.close();
});

afterEach(() => {
  h.faults.clear();
});

function assertionCredential(
  assertion: string,
  tenantId = h.tenantId,
  clientId = h.clientId,
): ClientAssertionCredential {
  return new ClientAssertionCredential(tenantId, clientId, () => Promise.resolve(assertion), {
    authorityHost: h.authorityHost,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: h.ca },
  });
}

async function refusal(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the SDK to throw');
  return error;
}

describe('ClientAssertionCredential against the Entra ID emulator', () => {
  it('obtains an access token for ARM that verifies against the tenant keys', async () => {
    const token = await assertionCredential(await h.mint()).getToken(ARM_SCOPE);
    const check = await checkAccessToken(token.token, {
      authorityHost: h.authorityHost,
      tenantId: h.tenantId,
      ca: h.ca,
      resource: 'https://management.azure.com',
    });
    expect(check.ok).toBe(true);
    // expires_in 3599 becomes an absolute expiry about an hour away.
    expect(token.expiresOnTimestamp - Date.now()).toBeGreaterThan(3_500_000);
    expect(token.expiresOnTimestamp - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  const refusals: readonly {
    readonly name: string;
    readonly credential: (h: EntraHarness) => Promise<ClientAssertionCredential>;
    readonly code: number;
    readonly error: string;
  }[] = [
    {
      name: 'no credential lists the audience (AADSTS70021)',
      credential: async (x) =>
        assertionCredential(await x.mint(undefined, { audience: 'https://github.com/octo-org' })),
      code: 70021,
      error: 'invalid_request',
    },
    {
      name: 'the assertion expired (AADSTS700024)',
      credential: async (x) =>
        assertionCredential(await x.mint(undefined, { now: new Date(Date.now() - 3_600_000) })),
      code: 700024,
      error: 'invalid_client',
    },
    {
      name: 'no credential names the issuer (AADSTS700211)',
      credential: async (x) =>
        assertionCredential(await x.mint(undefined, { issuer: `${x.issuer.url}/other` })),
      code: 700211,
      error: 'invalid_client',
    },
    {
      name: 'the subject names another branch (AADSTS700213)',
      credential: async (x) =>
        assertionCredential(await x.mint({ platform: 'github', ref: 'refs/heads/dev' })),
      code: 700213,
      error: 'invalid_client',
    },
    {
      name: 'the subject differs only in letter case (AADSTS7002138)',
      credential: async (x) =>
        assertionCredential(await x.mint({ platform: 'github', repository: 'Octo-Org/Octo-Repo' })),
      code: 7002138,
      error: 'invalid_client',
    },
    {
      name: 'the application is unknown (AADSTS700016)',
      credential: async (x) =>
        assertionCredential(await x.mint(), x.tenantId, '0000dead-0000-4000-8000-000000000000'),
      code: 700016,
      error: 'unauthorized_client',
    },
  ];

  for (const r of refusals) {
    it(`surfaces a refusal when ${r.name} as AuthenticationRequiredError with the AADSTS text`, async () => {
      const error = await refusal((await r.credential(h)).getToken(ARM_SCOPE));
      expect(error).toBeInstanceOf(AuthenticationRequiredError);
      expect(error.message).toContain(`${r.error}: Error(s): ${r.code} - `);
      expect(error.message).toContain(`AADSTS${r.code}: `);
    });
  }

  it('obtains a token with the authority named https://localhost:<port>/, which the certificate also covers', async () => {
    const credential = new ClientAssertionCredential(h.tenantId, h.clientId, () => h.mint(), {
      authorityHost: h.authorityHost.replace('127.0.0.1', 'localhost'),
      disableInstanceDiscovery: true,
      tlsOptions: { ca: h.ca },
    });
    const token = await credential.getToken(ARM_SCOPE);
    expect(token.token.split('.')).toHaveLength(3);
  });

  it('surfaces an unknown tenant as CredentialUnavailableError endpoints_resolution_error', async () => {
    const credential = assertionCredential(await h.mint(), '00000000-0000-4000-8000-00000000dead');
    const error = await refusal(credential.getToken(ARM_SCOPE));
    expect(error).toBeInstanceOf(CredentialUnavailableError);
    expect(error.message).toContain('endpoints_resolution_error');
  });

  it('surfaces an injected AADSTS error exactly like a real refusal', async () => {
    h.faults.set({ errorRate: 1, errorCode: 'AADSTS70021', remaining: 1 });
    const error = await refusal(assertionCredential(await h.mint()).getToken(ARM_SCOPE));
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error.message).toContain(
      "AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: '",
    );
  });

  it('waits out one 429 as Retry-After says and then succeeds', async () => {
    h.faults.set({ throttleRate: 1, remaining: 1 });
    const token = await assertionCredential(await h.mint()).getToken(ARM_SCOPE);
    expect(token.token).not.toBe('');
    expect(h.faults.settings).toEqual(noFaults); // the throttle was served, then retried
  });

  it('gives up after three retries of a persistent 429 and reports a network_error', async () => {
    h.faults.set({ throttleRate: 1, remaining: 10 });
    const error = await refusal(assertionCredential(await h.mint()).getToken(ARM_SCOPE));
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error.message).toContain('network_error');
    expect(h.faults.settings.remaining).toBe(6); // one attempt and three retries
  });

  it('retries a transient AADSTS90006 503 and reports it once retries run out', async () => {
    h.faults.set({ errorRate: 1, remaining: 10 });
    const error = await refusal(assertionCredential(await h.mint()).getToken(ARM_SCOPE));
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error.message).toContain('temporarily_unavailable: Error(s): 90006');
    expect(h.faults.settings.remaining).toBe(6);
  });

  it('reports connection resets as a network_error after retrying them', async () => {
    h.faults.set({ resetRate: 1, remaining: 10 });
    const error = await refusal(assertionCredential(await h.mint()).getToken(ARM_SCOPE));
    expect(error).toBeInstanceOf(AuthenticationRequiredError);
    expect(error.message).toContain('network_error');
    expect(h.faults.settings.remaining).toBeLessThan(10);
  });
});

describe('WorkloadIdentityCredential against the Entra ID emulator', () => {
  it('reads the token file named by tokenFilePath and obtains a token', async () => {
    const tokenFilePath = join(h.stateDir, 'federated-token');
    await writeFile(tokenFilePath, await h.mint());
    const credential = new WorkloadIdentityCredential({
      tenantId: h.tenantId,
      clientId: h.clientId,
      tokenFilePath,
      authorityHost: h.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: h.ca },
    });
    const token = await credential.getToken(ARM_SCOPE);
    expect(
      (
        await checkAccessToken(token.token, {
          authorityHost: h.authorityHost,
          tenantId: h.tenantId,
          ca: h.ca,
        })
      ).ok,
    ).toBe(true);
  });
});

describe('@azure/identity configured only by the environment (NODE_EXTRA_CA_CERTS, AZURE_*)', () => {
  async function child(
    kind: 'workload' | 'default',
    assertion: string,
  ): Promise<Record<string, unknown>> {
    const tokenFile = join(h.stateDir, `token-${kind}-${Date.now()}`);
    await writeFile(tokenFile, assertion);
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, 'sdk-child.ts'), kind, ARM_SCOPE],
      {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_EXTRA_CA_CERTS: h.env.WIF_AZURE_CA_FILE!,
          AZURE_AUTHORITY_HOST: h.authorityHost,
          AZURE_TENANT_ID: h.tenantId,
          AZURE_CLIENT_ID: h.clientId,
          AZURE_FEDERATED_TOKEN_FILE: tokenFile,
        },
        timeout: 25_000,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
  }

  it('WorkloadIdentityCredential obtains a token', async () => {
    const result = await child('workload', await h.mint());
    expect(result.ok).toBe(true);
    const check = await checkAccessToken(result.token as string, {
      authorityHost: h.authorityHost,
      tenantId: h.tenantId,
      ca: h.ca,
    });
    expect(check.ok).toBe(true);
  });

  it('WorkloadIdentityCredential surfaces a subject mismatch with its AADSTS code', async () => {
    const result = await child(
      'workload',
      await h.mint({ platform: 'github', environment: 'prod' }),
    );
    expect(result).toMatchObject({ ok: false, name: 'AuthenticationRequiredError' });
    expect(result.message).toContain(
      "AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org/octo-repo:environment:prod'",
    );
  });

  it('DefaultAzureCredential obtains a token', async () => {
    const result = await child('default', await h.mint());
    expect(result.ok).toBe(true);
  });
});
