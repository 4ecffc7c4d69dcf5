import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { connect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAccessToken } from '../../../src/sandbox/azure/index.ts';
import { assertionForm, startEntraHarness, type EntraHarness, type HttpAnswer } from './harness.ts';

/**
 * The Entra ID emulator on the wire, driven with plain HTTPS requests. Pages named per block:
 * "Microsoft identity platform and the OAuth 2.0 client credentials flow" (client-credentials
 * request and response), "Workload identity federation" + "Flexible federated identity
 * credentials" (matching), "Microsoft Entra authentication and authorization error codes"
 * (AADSTS codes and the error envelope), "OpenID Connect on the Microsoft identity platform"
 * (discovery document).
 */

const tenantId = 'c0ffee00-0000-4000-8000-000000000001';
const secondTenant = {
  id: '0b0e0000-0000-4000-8000-000000000002',
  name: 'contoso.onmicrosoft.com',
};
const mainApp = 'c0ffee00-0000-4000-8000-0000000000a1';
const flexibleApp = '0b0e0000-0000-4000-8000-0000000000f1';
const unreachableApp = '0b0e0000-0000-4000-8000-0000000000e1';

let h: EntraHarness;
let deadIssuer: string;

/** A loopback URL nothing listens on: a port that was free a moment ago. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

beforeAll(async () => {
  deadIssuer = await closedPortUrl();
  h = await startEntraHarness({
    tenants: [{ id: tenantId, name: 'wif-sandbox.onmicrosoft.com' }, secondTenant],
    apps: [
      {
        clientId: mainApp,
        name: 'octo-repo-deploy',
        tenantId,
        federatedCredentials: [
          {
            name: 'main',
            subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
            audiences: ['api://AzureADTokenExchange'],
          },
        ],
      },
      {
        clientId: flexibleApp,
        name: 'environments',
        tenantId: secondTenant.id,
        federatedCredentials: [
          {
            name: 'any-environment',
            claimsMatchingExpression: {
              value: "claims['sub'] matches 'repo:octo-org/octo-repo:environment:*'",
              languageVersion: 1,
            },
            audiences: ['api://AzureADTokenExchange'],
          },
        ],
      },
      {
        clientId: unreachableApp,
        name: 'gone-issuer',
        tenantId,
        federatedCredentials: [
          {
            name: 'gone',
            issuer: deadIssuer,
            subject: 'anything',
            audiences: ['api://AzureADTokenExchange'],
          },
        ],
      },
    ],
  });
});

afterAll(async () => {
  await h.close();
});

function token(tenant = tenantId): string {
  return `/${tenant}/oauth2/v2.0/token`;
}

function aadsts(answer: HttpAnswer): { code: number; error: string; description: string } {
  const body = answer.json();
  return {
    code: (body.error_codes as number[])[0]!,
    error: body.error as string,
    description: body.error_description as string,
  };
}

describe('Entra ID emulator TLS', () => {
  it('serves a certificate for IP:127.0.0.1 and DNS:localhost issued by the CA it wrote to its state dir', async () => {
    const caFile = h.env.WIF_AZURE_CA_FILE!;
    expect(caFile.startsWith(h.stateDir)).toBe(true);
    const ca = new X509Certificate(await readFile(caFile));
    expect(ca.ca).toBe(true);
    // A request that trusts only this CA succeeds: the chain and the SAN both check out.
    const answer = await h.get(`/${tenantId}/discovery/v2.0/keys`);
    expect(answer.status).toBe(200);
  });

  it('exports the variables that point @azure/identity at it', () => {
    expect(h.env).toMatchObject({
      AZURE_AUTHORITY_HOST: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/$/) as unknown,
      AZURE_TENANT_ID: tenantId,
      AZURE_CLIENT_ID: mainApp,
    });
  });
});

describe('Entra ID tenant discovery (OpenID Connect on the Microsoft identity platform)', () => {
  it('publishes the endpoints MSAL requires, named by tenant ID, with the v2.0 issuer', async () => {
    const answer = await h.get(`/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(answer.status).toBe(200);
    const doc = answer.json();
    const root = `${h.authorityHost}${tenantId}`;
    expect(doc).toMatchObject({
      issuer: `${root}/v2.0`,
      token_endpoint: `${root}/oauth2/v2.0/token`,
      authorization_endpoint: `${root}/oauth2/v2.0/authorize`,
      jwks_uri: `${root}/discovery/v2.0/keys`,
      end_session_endpoint: `${root}/oauth2/v2.0/logout`,
    });
    expect(doc.response_types_supported).toContain('code');
  });

  it('accepts the tenant by verified domain name and still names endpoints by tenant ID', async () => {
    const doc = (
      await h.get(`/${secondTenant.name.toUpperCase()}/v2.0/.well-known/openid-configuration`)
    ).json();
    expect(doc.issuer).toBe(`${h.authorityHost}${secondTenant.id}/v2.0`);
  });

  it('names the host the client asked, when it is one of the certificate names on its port', async () => {
    const localhost = h.authorityHost.replace('127.0.0.1', 'localhost');
    const doc = (
      await h.get(`${localhost}${tenantId}/v2.0/.well-known/openid-configuration`)
    ).json();
    expect(doc.issuer).toBe(`${localhost}${tenantId}/v2.0`);
    expect(doc.token_endpoint).toBe(`${localhost}${tenantId}/oauth2/v2.0/token`);
  });

  it('names its own address for any other Host header', async () => {
    const port = new URL(h.authorityHost).port;
    for (const host of [`login.example.com:${port}`, 'localhost:1', 'localhost', '[bad']) {
      const doc = (
        await h.get(`/${tenantId}/v2.0/.well-known/openid-configuration`, { host })
      ).json();
      expect(doc.token_endpoint, host).toBe(`${h.authorityHost}${tenantId}/oauth2/v2.0/token`);
    }
  });

  it('answers an unknown tenant with AADSTS90002 invalid_tenant and HTTP 400', async () => {
    const answer = await h.get('/nowhere.onmicrosoft.com/v2.0/.well-known/openid-configuration');
    expect(answer.status).toBe(400);
    expect(aadsts(answer)).toMatchObject({ code: 90002, error: 'invalid_tenant' });
    expect(aadsts(answer).description).toContain("Tenant 'nowhere.onmicrosoft.com' not found.");
  });

  it('publishes RS256 signing keys with kid, x5t and use sig', async () => {
    const { keys } = (await h.get(`/${tenantId}/discovery/v2.0/keys`)).json() as {
      keys: Record<string, unknown>[];
    };
    expect(keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', kid: expect.any(String) as unknown });
    expect(keys[0]!.x5t).toBe(keys[0]!.kid);
  });
});

describe('Entra ID token endpoint: client credentials with a federated assertion', () => {
  it('issues a Bearer token for the resource of the .default scope', async () => {
    const answer = await h.post(token(), assertionForm(mainApp, await h.mint()));
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const check = await checkAccessToken(body.access_token as string, {
      authorityHost: h.authorityHost,
      tenantId,
      ca: h.ca,
      resource: 'https://management.azure.com',
    });
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.claims).toMatchObject({
      aud: 'https://management.azure.com',
      iss: `https://sts.windows.net/${tenantId}/`,
      tid: tenantId,
      appid: mainApp,
      idtyp: 'app',
    });
    expect(check.claims.exp! - check.claims.iat!).toBeLessThanOrEqual(3600);
  });

  it('matches a flexible credential whose claimsMatchingExpression uses matches with *', async () => {
    const assertion = await h.mint({ platform: 'github', environment: 'prod' });
    const answer = await h.post(token(secondTenant.name), assertionForm(flexibleApp, assertion));
    expect(answer.status).toBe(200);
  });

  it('echoes the client-request-id header as the correlation ID of an error', async () => {
    const correlation = '6f1d2c3b-4a59-4e68-9d7c-0b1a2c3d4e5f';
    const answer = await h.post(
      token(),
      { ...assertionForm(mainApp, await h.mint()), grant_type: '' },
      {
        'client-request-id': correlation,
      },
    );
    const body = answer.json();
    expect(body.correlation_id).toBe(correlation);
    expect(answer.headers['client-request-id']).toBe(correlation);
  });
});

describe('Entra ID token endpoint refusals (AADSTS error codes)', () => {
  it('wraps every refusal in the documented envelope', async () => {
    const answer = await h.post(token(), {
      ...assertionForm(mainApp, await h.mint()),
      client_id: '',
    });
    const body = answer.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'correlation_id',
        'error',
        'error_codes',
        'error_description',
        'error_uri',
        'timestamp',
        'trace_id',
      ].sort(),
    );
    expect(body.error_description).toMatch(
      /^AADSTS900144: .+ Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.error_uri).toBe('https://login.microsoftonline.com/error?code=900144');
    expect(answer.headers['x-ms-request-id']).toBe(body.trace_id);
  });

  const cases: readonly {
    readonly name: string;
    readonly request: (h: EntraHarness) => Promise<HttpAnswer>;
    readonly code: number;
    readonly error: string;
    readonly status: number;
    readonly text: string;
  }[] = [
    {
      name: 'a missing grant_type',
      request: async (x) =>
        x.post(token(), { ...assertionForm(mainApp, await x.mint()), grant_type: '' }),
      code: 900144,
      error: 'invalid_request',
      status: 400,
      text: "parameter: 'grant_type'",
    },
    {
      name: 'an unsupported grant type',
      request: async (x) =>
        x.post(token(), { ...assertionForm(mainApp, await x.mint()), grant_type: 'password' }),
      code: 70003,
      error: 'unsupported_grant_type',
      status: 400,
      text: "unsupported grant type 'password'",
    },
    {
      name: 'an unknown tenant on the token endpoint',
      request: async (x) =>
        x.post(
          token('00000000-0000-4000-8000-00000000dead'),
          assertionForm(mainApp, await x.mint()),
        ),
      code: 90002,
      error: 'invalid_request',
      status: 400,
      text: "Tenant '00000000-0000-4000-8000-00000000dead' not found.",
    },
    {
      name: 'an application that is not registered in the tenant',
      request: async (x) => x.post(token(secondTenant.id), assertionForm(mainApp, await x.mint())),
      code: 700016,
      error: 'unauthorized_client',
      status: 400,
      text: `Application with identifier '${mainApp}' was not found in the directory 'contoso.onmicrosoft.com'.`,
    },
    {
      name: 'a scope without /.default',
      request: async (x) =>
        x.post(token(), {
          ...assertionForm(mainApp, await x.mint()),
          scope: 'https://management.azure.com/user_impersonation',
        }),
      code: 1002012,
      error: 'invalid_scope',
      status: 400,
      text: 'Client credential flows must have a scope value with /.default',
    },
    {
      name: 'no client_assertion',
      request: async (x) =>
        x.post(token(), { ...assertionForm(mainApp, await x.mint()), client_assertion: '' }),
      code: 7000218,
      error: 'invalid_client',
      status: 401,
      text: "'client_assertion' or 'client_secret'",
    },
    {
      name: 'a client_assertion_type other than jwt-bearer',
      request: async (x) =>
        x.post(token(), {
          ...assertionForm(mainApp, await x.mint()),
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
        }),
      code: 90011,
      error: 'invalid_request',
      status: 400,
      text: 'Unexpected client assertion type.',
    },
    {
      name: 'an assertion that is not a JWT',
      request: (x) => x.post(token(), assertionForm(mainApp, 'not-a-jwt')),
      code: 50027,
      error: 'invalid_request',
      status: 400,
      text: 'JWT token is invalid or malformed.',
    },
    {
      name: 'an assertion whose signature does not verify against the issuer JWKS',
      request: async (x) => {
        const [header, , signature] = (await x.mint()).split('.');
        const forged = Buffer.from(
          JSON.stringify({ ...x.issuer.claims(), aud: 'api://AzureADTokenExchange' }),
        ).toString('base64url');
        return x.post(token(), assertionForm(mainApp, `${header!}.${forged}.${signature!}`));
      },
      code: 7000272,
      error: 'invalid_client',
      status: 401,
      text: 'could not be found in the metadata of identity provider',
    },
    {
      name: 'an expired assertion',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(
            mainApp,
            await x.mint(undefined, { now: new Date(Date.now() - 3_600_000) }),
          ),
        ),
      code: 700024,
      error: 'invalid_client',
      status: 401,
      text: 'Client assertion is not within its valid time range. Current time: ',
    },
    {
      name: 'an assertion from an issuer no credential names',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(mainApp, await x.mint(undefined, { issuer: `${x.issuer.url}/elsewhere` })),
        ),
      code: 700211,
      error: 'invalid_client',
      status: 401,
      text: 'No matching federated identity record found for presented assertion issuer',
    },
    {
      name: 'an assertion whose issuer metadata cannot be fetched',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(unreachableApp, await x.mint(undefined, { issuer: deadIssuer })),
        ),
      code: 50166,
      error: 'invalid_client',
      status: 401,
      text: 'Request to External OIDC endpoint failed.',
    },
    {
      name: 'a subject from another branch',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(mainApp, await x.mint({ platform: 'github', ref: 'refs/heads/dev' })),
        ),
      code: 700213,
      error: 'invalid_client',
      status: 401,
      text: "presented assertion subject 'repo:octo-org/octo-repo:ref:refs/heads/dev'",
    },
    {
      name: 'a subject that differs only in letter case',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(
            mainApp,
            await x.mint({ platform: 'github', repository: 'Octo-Org/octo-repo' }),
          ),
        ),
      code: 7002138,
      error: 'invalid_client',
      status: 401,
      text: 'matches with case-insensitive comparison, but not with case-sensitive comparison',
    },
    {
      name: 'an audience no credential lists',
      request: async (x) =>
        x.post(
          token(),
          assertionForm(
            mainApp,
            await x.mint(undefined, { audience: 'https://github.com/octo-org' }),
          ),
        ),
      code: 70021,
      error: 'invalid_request',
      status: 400,
      text: "Assertion Audience: 'https://github.com/octo-org'",
    },
    {
      name: 'a GET on the token endpoint',
      request: (x) => x.get(token()),
      code: 900561,
      error: 'invalid_request',
      status: 400,
      text: 'The endpoint only accepts POST, OPTIONS requests. Received a GET request.',
    },
  ];

  for (const c of cases) {
    it(`refuses ${c.name} with AADSTS${c.code} ${c.error} (HTTP ${c.status})`, async () => {
      const answer = await c.request(h);
      expect(answer.status).toBe(c.status);
      const refusal = aadsts(answer);
      expect(refusal).toMatchObject({ code: c.code, error: c.error });
      expect(refusal.description).toContain(`AADSTS${c.code}: `);
      expect(refusal.description).toContain(c.text);
    });
  }

  it('ignores MSAL bookkeeping fields and query parameters', async () => {
    const form = {
      ...assertionForm(mainApp, await h.mint()),
      'x-client-SKU': 'msal.js.node',
      'x-client-VER': '3.0.0',
      'x-ms-lib-capability': 'retry-after, h429',
      client_info: '1',
    };
    const answer = await h.post(
      `${token()}?client-request-id=0a1b2c3d-0000-4000-8000-000000000000`,
      form,
    );
    expect(answer.status).toBe(200);
  });
});

describe('Entra ID emulator fault knobs', () => {
  it('throttles with 429, Retry-After and a bare text body', async () => {
    h.faults.set({ throttleRate: 1, remaining: 1 });
    const answer = await h.post(token(), assertionForm(mainApp, await h.mint()));
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.text).toBe('Too Many Requests');
  });

  it('injects the AADSTS error named by errorCode, filled in from the request', async () => {
    h.faults.set({ errorRate: 1, errorCode: 'AADSTS700213', remaining: 1 });
    const answer = await h.post(token(), assertionForm(mainApp, await h.mint()));
    expect(answer.status).toBe(401);
    expect(aadsts(answer).description).toContain(
      "subject 'repo:octo-org/octo-repo:ref:refs/heads/main'",
    );
  });

  it('injects a transient AADSTS90006 (503) when no errorCode is set', async () => {
    h.faults.set({ errorRate: 1, errorCode: undefined, remaining: 1 });
    const answer = await h.post(token(), assertionForm(mainApp, await h.mint()));
    expect(answer.status).toBe(503);
    expect(aadsts(answer)).toMatchObject({ code: 90006, error: 'temporarily_unavailable' });
  });

  it('resets the connection without an answer', async () => {
    h.faults.set({ resetRate: 1, remaining: 1 });
    await expect(h.post(token(), assertionForm(mainApp, await h.mint()))).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
  });

  it('leaves discovery and keys out of the faults', async () => {
    h.faults.set({ errorRate: 1, remaining: 1 });
    expect((await h.get(`/${tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
    expect((await h.post(token(), assertionForm(mainApp, await h.mint()))).status).toBe(503);
    expect((await h.post(token(), assertionForm(mainApp, await h.mint()))).status).toBe(200);
  });
});

describe('Entra ID emulator lifecycle', () => {
  it('closes with a keep-alive client connected and leaves its port refusing connections', async () => {
    const own = await startEntraHarness();
    const url = new URL(`${own.tenantId}/v2.0/.well-known/openid-configuration`, own.authorityHost);
    const agent = new Agent({ keepAlive: true, ca: own.ca });
    const status = await new Promise<number>((resolve, reject) => {
      request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    await own.close();
    agent.destroy();
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(Number(url.port), '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        resolve(error.code ?? 'error');
      });
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});
