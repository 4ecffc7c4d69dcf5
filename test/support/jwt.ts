import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/** Hand-signed tokens for unit tests that need a JWT but no issuer. */
const keys = generateKeyPair('ES256');

export async function signTestToken(
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const { privateKey } = await keys;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: 'test', ...header })
    .sign(privateKey);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function githubClaims(overrides: JWTPayload = {}): JWTPayload {
  const iat = nowSeconds();
  return {
    iss: 'https://token.actions.githubusercontent.com',
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    aud: 'sts.amazonaws.com',
    iat,
    nbf: iat - 600,
    exp: iat + 300,
    repository: 'octo-org/octo-repo',
    repository_id: '74',
    ref: 'refs/heads/main',
    ...overrides,
  };
}
