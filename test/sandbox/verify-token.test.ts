import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type IssuerHandle } from '../../src/sandbox/oidc/issuer.ts';
import { verifyOidcToken } from '../../src/sandbox/verify-token.ts';

let issuer: IssuerHandle;
let token: string;

beforeAll(async () => {
  issuer = await startIssuer();
  token = await issuer.mint({ platform: 'github' }, { audience: 'sts.amazonaws.com' });
});

afterAll(async () => {
  await issuer.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

describe('verifyOidcToken', () => {
  it('accepts a sandbox token for a listed audience and returns its claims and header', async () => {
    const result = await verifyOidcToken(token, { audience: ['sts.amazonaws.com'] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.claims.sub).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    expect(result.header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
  });

  it('accepts an ES256 token and an audience predicate', async () => {
    const es = await issuer.mint(
      { platform: 'kubernetes' },
      { alg: 'ES256', audience: ['vault', 'other'] },
    );
    const result = await verifyOidcToken(es, { audience: (aud) => aud.includes('vault') });
    expect(result.ok).toBe(true);
  });

  it('accepts a token from an issuer path such as <issuer>/gitlab', async () => {
    const gitlab = await issuer.mint(
      { platform: 'gitlab' },
      { issuer: `${issuer.url}/gitlab`, audience: 'https://vault.example.com' },
    );
    const result = await verifyOidcToken(gitlab, { trustedIssuers: [`${issuer.url}/gitlab`] });
    expect(result).toMatchObject({ ok: true, claims: { iss: `${issuer.url}/gitlab` } });
  });

  it.each(['', 'abc', 'a.b.c', 'eyJhbGciOiJSUzI1NiJ9.bm90LWpzb24.c2ln'])(
    'calls %j malformed',
    async (bad) => {
      expect(await verifyOidcToken(bad)).toMatchObject({ ok: false, reason: 'malformed' });
    },
  );

  it('refuses an issuer that is not on the trusted list', async () => {
    const result = await verifyOidcToken(token, { trustedIssuers: ['http://127.0.0.1:1'] });
    expect(result).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    if (!result.ok) expect(result.claims?.iss).toBe(issuer.url);
  });

  it('refuses a non-loopback issuer by default, and never fetches one even when listed', async () => {
    const github = 'https://token.actions.githubusercontent.com';
    const foreign = await issuer.mint({ platform: 'github' }, { issuer: github });
    expect(await verifyOidcToken(foreign)).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    const listed = await verifyOidcToken(foreign, { trustedIssuers: [github] });
    expect(listed).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    if (!listed.ok) expect(listed.message).toMatch(/never fetches keys from another host/);
  });

  it('does not let a lookalike host pass the loopback pattern', async () => {
    const lookalike = await issuer.mint(
      { platform: 'github' },
      { issuer: 'http://127.0.0.1.evil.example:80' },
    );
    expect(await verifyOidcToken(lookalike)).toMatchObject({ ok: false, reason: 'unknown-issuer' });
    const userinfo = await issuer.mint(
      { platform: 'github' },
      { issuer: 'http://127.0.0.1:80@evil.example' },
    );
    expect(await verifyOidcToken(userinfo)).toMatchObject({ ok: false, reason: 'unknown-issuer' });
  });

  it('reports an issuer whose discovery cannot be reached', async () => {
    const port = await closedPort();
    const orphan = await issuer.mint(
      { platform: 'github' },
      { issuer: `http://127.0.0.1:${port}` },
    );
    const result = await verifyOidcToken(orphan);
    expect(result).toMatchObject({ ok: false, reason: 'issuer-unreachable' });
    if (!result.ok) expect(result.message).toMatch(/ECONNREFUSED|could not be fetched/);
  });

  it('reports an issuer path without a discovery document as unreachable', async () => {
    const stray = await issuer.mint({ platform: 'github' }, { issuer: `${issuer.url}/~nobody` });
    const result = await verifyOidcToken(stray);
    expect(result).toMatchObject({ ok: false, reason: 'issuer-unreachable' });
    if (!result.ok) expect(result.message).toMatch(/HTTP 404/);
  });

  it('refuses a discovery document that names another issuer', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: issuer.url, jwks_uri: `${issuer.url}/.well-known/jwks` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const impostor = await issuer.mint({ platform: 'github' }, { issuer: url });
      expect(await verifyOidcToken(impostor)).toMatchObject({
        ok: false,
        reason: 'issuer-unreachable',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    }
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const other = await issuer.mint({ platform: 'github', repository: 'evil/repo' });
    const [header, , signature] = token.split('.');
    const [, payload] = other.split('.');
    const spliced = `${header}.${payload}.${signature}`;
    expect(await verifyOidcToken(spliced)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a token signed by a key the issuer never published', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'x',
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
      .setIssuer(issuer.url)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    expect(await verifyOidcToken(forged)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses an expired token, and accepts it within the clock tolerance', async () => {
    const old = await issuer.mint(
      { platform: 'github' },
      { now: new Date(Date.now() - 330_000), lifetimeSeconds: 300 },
    );
    const expired = await verifyOidcToken(old);
    expect(expired).toMatchObject({ ok: false, reason: 'expired' });
    if (!expired.ok) expect(expired.claims?.sub).toBeDefined();
    expect(await verifyOidcToken(old, { clockToleranceSeconds: 60 })).toMatchObject({ ok: true });
  });

  it("refuses a token before its nbf, judged by the caller's clock", async () => {
    const early = () => new Date(Date.now() - 700_000);
    expect(await verifyOidcToken(token, { now: early })).toMatchObject({
      ok: false,
      reason: 'not-yet-valid',
    });
  });

  it('refuses a token for another audience, by list and by predicate', async () => {
    expect(
      await verifyOidcToken(token, { audience: ['api://AzureADTokenExchange'] }),
    ).toMatchObject({
      ok: false,
      reason: 'audience',
    });
    expect(await verifyOidcToken(token, { audience: () => false })).toMatchObject({
      ok: false,
      reason: 'audience',
    });
  });
});
