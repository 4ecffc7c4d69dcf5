import { request } from 'node:https';
import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from 'jose';

/**
 * The access tokens the emulator issues: RS256 JWTs in the v1.0 shape Entra ID gives an app
 * calling Azure Resource Manager with client credentials (access-token claims reference,
 * learn.microsoft.com/entra/identity-platform/access-token-claims-reference): `aud` is the
 * resource, `iss` is `https://sts.windows.net/<tid>/`, `appid` the client, `oid`/`sub` the
 * service principal, `idtyp: app`. Lifetime 3599 s, as the token response reports.
 */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;

export interface AccessTokenGrant {
  readonly tenantId: string;
  readonly clientId: string;
  readonly objectId: string;
  /** The resource of the requested scope (`<resource>/.default` without the suffix). */
  readonly resource: string;
  readonly now?: Date;
}

export interface AccessTokenClaims extends JWTPayload {
  readonly aud: string;
  readonly iss: string;
  readonly tid: string;
  readonly oid: string;
  readonly appid: string;
  readonly azp: string;
  readonly idtyp: 'app';
  readonly ver: '1.0';
}

export function accessTokenIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

export class AccessTokenSigner {
  private readonly privateKey: CryptoKey;
  private readonly kid: string;
  private readonly jwk: JWK;

  private constructor(privateKey: CryptoKey, kid: string, jwk: JWK) {
    this.privateKey = privateKey;
    this.kid = kid;
    this.jwk = jwk;
  }

  static async create(): Promise<AccessTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const exported = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(exported);
    // Entra publishes `x5t` equal to `kid` and `use: sig` on every key.
    return new AccessTokenSigner(privateKey, kid, {
      ...exported,
      kid,
      use: 'sig',
      alg: 'RS256',
      x5t: kid,
    });
  }

  /** The `keys` document served at `/<tenant>/discovery/v2.0/keys`. */
  jwks(): JSONWebKeySet {
    return { keys: [{ ...this.jwk }] };
  }

  async issue(grant: AccessTokenGrant): Promise<{ token: string; claims: AccessTokenClaims }> {
    const iat = Math.floor((grant.now ?? new Date()).getTime() / 1000);
    const claims: AccessTokenClaims = {
      aud: grant.resource,
      iss: accessTokenIssuer(grant.tenantId),
      iat,
      // Entra backdates nbf by five minutes to absorb clock skew at the resource.
      nbf: iat - 300,
      exp: iat + ACCESS_TOKEN_LIFETIME_SECONDS,
      tid: grant.tenantId,
      oid: grant.objectId,
      sub: grant.objectId,
      appid: grant.clientId,
      azp: grant.clientId,
      // 2: the client authenticated with a certificate or assertion, not a secret.
      appidacr: '2',
      idp: accessTokenIssuer(grant.tenantId),
      idtyp: 'app',
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      ver: '1.0',
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.kid, x5t: this.kid })
      .sign(this.privateKey);
    return { token, claims };
  }
}

export type AccessTokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | {
      readonly ok: false;
      readonly reason: 'bad-signature' | 'expired' | 'claims' | 'unreachable';
      readonly message: string;
    };

export interface AccessTokenCheckOptions {
  /** The emulator's authority host, e.g. `https://127.0.0.1:4443/`. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** PEM of the emulator's CA (the file named by `WIF_AZURE_CA_FILE`). */
  readonly ca: string;
  /** When given, the token's `aud` must equal it. */
  readonly resource?: string;
  readonly now?: Date;
}

/**
 * Proves an access token came from the emulator, the way a resource server would: keys from
 * the tenant's published JWKS (fetched over the emulator's TLS), then `iss`, `exp`, `aud`.
 */
export async function checkAccessToken(
  token: string,
  options: AccessTokenCheckOptions,
): Promise<AccessTokenCheck> {
  const jwksUrl = new URL(
    `${options.tenantId}/discovery/v2.0/keys`,
    withSlash(options.authorityHost),
  );
  let jwks: JSONWebKeySet;
  try {
    jwks = (await getJson(jwksUrl, options.ca)) as JSONWebKeySet;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'unreachable',
      message: `${jwksUrl.href} could not be fetched: ${detail}`,
    };
  }
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: accessTokenIssuer(options.tenantId),
      algorithms: ['RS256'],
      currentDate: options.now ?? new Date(),
      ...(options.resource === undefined ? {} : { audience: options.resource }),
    });
    return { ok: true, claims: payload as AccessTokenClaims };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired)
      return { ok: false, reason: 'expired', message: error.message };
    if (error instanceof joseErrors.JWTClaimValidationFailed)
      return { ok: false, reason: 'claims', message: error.message };
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'bad-signature', message: detail };
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function getJson(url: URL, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'GET', ca, headers: { accept: 'application/json' }, timeout: 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`HTTP ${res.statusCode ?? 0}`));
            return;
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}
