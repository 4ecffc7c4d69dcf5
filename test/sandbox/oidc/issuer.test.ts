import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIssuer, type IssuerHandle } from '../../../src/sandbox/oidc/issuer.ts';

let issuer: IssuerHandle;

beforeAll(async () => {
  issuer = await startIssuer();
});

afterAll(async () => {
  await issuer.close();
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sandbox OIDC issuer discovery', () => {
  it("publishes a discovery document shaped like GitHub's, pointing at its JWKS", async () => {
    const { status, body } = await getJson(`${issuer.url}/.well-known/openid-configuration`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: issuer.url,
      jwks_uri: `${issuer.url}/.well-known/jwks`,
      response_types_supported: ['id_token'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      scopes_supported: ['openid'],
    });
    expect(body.subject_types_supported).toContain('public');
    expect(body.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'repository', 'job_workflow_ref']),
    );
  });

  it('serves discovery for an issuer path under it, for GitLab-style or enterprise issuers', async () => {
    const { body } = await getJson(`${issuer.url}/gitlab/.well-known/openid-configuration`);
    expect(body.issuer).toBe(`${issuer.url}/gitlab`);
    expect(body.jwks_uri).toBe(`${issuer.url}/gitlab/.well-known/jwks`);
    const gitlabKeys = await getJson(`${issuer.url}/gitlab/oauth/discovery/keys`);
    expect(gitlabKeys.body).toEqual(issuer.jwks());
  });

  it('answers 404 for an unknown path and 405 for a POST to discovery', async () => {
    expect((await fetch(`${issuer.url}/nothing-here`)).status).toBe(404);
    const post = await fetch(`${issuer.url}/.well-known/openid-configuration`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it.each(['RS256', 'ES256'] as const)(
    'signs %s tokens that verify through discovery and JWKS',
    async (alg) => {
      const token = await issuer.mint(
        { platform: 'github' },
        { alg, audience: 'sts.amazonaws.com' },
      );
      const header = decodeProtectedHeader(token);
      expect(header).toMatchObject({ alg, typ: 'JWT' });
      expect(typeof header.kid).toBe('string');
      const { body } = await getJson(`${issuer.url}/.well-known/openid-configuration`);
      const jwks = createRemoteJWKSet(new URL(String(body.jwks_uri)));
      const { payload } = await jwtVerify(token, jwks, {
        issuer: issuer.url,
        audience: 'sts.amazonaws.com',
      });
      expect(payload.sub).toBe('repo:octo-org/octo-repo:ref:refs/heads/main');
    },
  );

  it('publishes each key with kid, alg and use, and no private material', () => {
    for (const key of issuer.jwks().keys) {
      expect(key).toMatchObject({ use: 'sig' });
      expect(['RS256', 'ES256']).toContain(key.alg);
      expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(key.d).toBeUndefined();
    }
  });
});

describe('sandbox OIDC issuer key rotation', () => {
  it('keeps a token signed before a rotation valid, and drops its key at the next rotation', async () => {
    const rotating = await startIssuer();
    try {
      const kids = () => rotating.jwks().keys.map((k) => k.kid);
      const before = await rotating.mint({ platform: 'github' }, { audience: 'a' });
      const oldKid = decodeProtectedHeader(before).kid;
      expect(kids()).toHaveLength(2);

      await rotating.rotate();
      const after = await rotating.mint({ platform: 'github' }, { audience: 'a' });
      const newKid = decodeProtectedHeader(after).kid;
      expect(newKid).not.toBe(oldKid);
      expect(kids()).toHaveLength(4);
      expect(kids().slice(0, 2)).toContain(newKid);

      const verify = async (token: string) => {
        // A fresh key set each time: what a relying party without a cache would see.
        const jwks = createRemoteJWKSet(new URL(`${rotating.url}/.well-known/jwks`));
        return jwtVerify(token, jwks, { issuer: rotating.url, audience: 'a' });
      };
      await expect(verify(before)).resolves.toBeDefined();
      await expect(verify(after)).resolves.toBeDefined();

      await rotating.rotate();
      expect(kids()).not.toContain(oldKid);
      expect(kids()).toContain(newKid);
      await expect(verify(before)).rejects.toThrow(/no applicable key/i);
      await expect(verify(after)).resolves.toBeDefined();
    } finally {
      await rotating.close();
    }
  });
});
