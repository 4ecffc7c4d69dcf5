import { randomBytes } from 'node:crypto';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';

/**
 * What the emulator remembers about each access token it issued. Google access tokens are
 * opaque; only the issuer can say what one stands for, which is what tokeninfo and the IAM
 * Credentials authorization step ask.
 */
export type IssuedAccessToken = FederatedAccessToken | ServiceAccountAccessToken;

/** Minted by STS for a workload identity pool principal. */
export interface FederatedAccessToken {
  readonly kind: 'federated';
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  /** `projects/<n>/locations/global/workloadIdentityPools/<pool>` */
  readonly pool: string;
  /** Full provider resource name the token was exchanged at. */
  readonly provider: string;
  /** The mapped `google.subject`. */
  readonly subject: string;
  /** Every mapped attribute, `google.*` and `attribute.*` keys as the mapping named them. */
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
}

/** Minted by `generateAccessToken` for a service account. */
export interface ServiceAccountAccessToken {
  readonly kind: 'service-account';
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly email: string;
  readonly uniqueId: string;
}

/** The `principal://` identifier of a federated token's subject (IAM principal identifiers page). */
export function principalOf(token: FederatedAccessToken): string {
  return `principal://iam.googleapis.com/${token.pool}/subject/${token.subject}`;
}

const MAX_TOKENS = 10_000;

export class AccessTokenStore {
  private readonly tokens = new Map<string, IssuedAccessToken>();

  /** Stores `details` under a fresh opaque token; federated tokens look like `ya29.d.…`. */
  issue(details: IssuedAccessToken, now: number): string {
    if (this.tokens.size >= MAX_TOKENS) this.prune(now);
    const prefix = details.kind === 'federated' ? 'ya29.d.' : 'ya29.c.';
    const token = prefix + randomBytes(48).toString('base64url');
    this.tokens.set(token, details);
    return token;
  }

  /** The token's record while it is live; undefined once expired or when never issued. */
  lookup(token: string, now: number): IssuedAccessToken | undefined {
    const found = this.tokens.get(token);
    if (found === undefined) return undefined;
    if (found.expiresAt <= now) {
      this.tokens.delete(token);
      return undefined;
    }
    return found;
  }

  private prune(now: number): void {
    for (const [token, details] of this.tokens) {
      if (details.expiresAt <= now) this.tokens.delete(token);
    }
    // Still full of live tokens: drop the oldest, as a bounded cache must.
    for (const token of this.tokens.keys()) {
      if (this.tokens.size < MAX_TOKENS) break;
      this.tokens.delete(token);
    }
  }
}

/** Google signs service-account ID tokens as this issuer. */
export const GOOGLE_ISSUER = 'https://accounts.google.com';

export interface IdTokenClaims {
  readonly audience: string;
  readonly email: string;
  readonly uniqueId: string;
  readonly includeEmail: boolean;
  /** `azp` is the email instead of the unique ID (google-auth-library's `useEmailAzp`). */
  readonly emailAzp: boolean;
  readonly lifetimeSeconds: number;
}

/**
 * Signs the ID tokens `generateIdToken` returns, with one RS256 key published the two ways
 * Google publishes its keys: a JWKS (`/oauth2/v3/certs`) and a `{kid: PEM}` map
 * (`/oauth2/v1/certs`, which google-auth-library's `verifyIdToken` reads in Node).
 */
export class IdTokenSigner {
  private readonly privateKey: CryptoKey;
  private readonly publicKey: CryptoKey;
  private readonly kid: string;
  private readonly publicJwk: JWK;
  private readonly publicPem: string;

  private constructor(
    keys: { privateKey: CryptoKey; publicKey: CryptoKey },
    kid: string,
    publicJwk: JWK,
    publicPem: string,
  ) {
    this.privateKey = keys.privateKey;
    this.publicKey = keys.publicKey;
    this.kid = kid;
    this.publicJwk = publicJwk;
    this.publicPem = publicPem;
  }

  static async create(): Promise<IdTokenSigner> {
    const keys = await generateKeyPair('RS256');
    const { publicKey } = keys;
    // Google's key IDs are 40 hex digits.
    const kid = randomBytes(20).toString('hex');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    return new IdTokenSigner(keys, kid, jwk, await exportSPKI(publicKey));
  }

  async sign(claims: IdTokenClaims, now: number): Promise<string> {
    const iat = Math.floor(now / 1000);
    // Google's service-account ID tokens: azp and sub are the account's unique ID.
    const payload: Record<string, unknown> = {
      azp: claims.emailAzp ? claims.email : claims.uniqueId,
    };
    if (claims.includeEmail) {
      payload.email = claims.email;
      payload.email_verified = true;
    }
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(GOOGLE_ISSUER)
      .setAudience(claims.audience)
      .setSubject(claims.uniqueId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + claims.lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** The claims of an ID token this signer issued and that is still valid; undefined otherwise. */
  async verify(token: string, now: number): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: GOOGLE_ISSUER,
        algorithms: ['RS256'],
        currentDate: new Date(now),
      });
      return { ...payload, alg: 'RS256', kid: this.kid, typ: 'JWT' };
    } catch {
      return undefined;
    }
  }

  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk }] };
  }

  pemCerts(): Record<string, string> {
    return { [this.kid]: this.publicPem };
  }
}
