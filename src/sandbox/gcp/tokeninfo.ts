import type { AccessTokenStore, IdTokenSigner } from './tokens.ts';
import { principalOf } from './tokens.ts';
import { oauthError, type WireResponse } from './wire.ts';

/**
 * `oauth2.googleapis.com/tokeninfo` (and its `/oauth2/v3/tokeninfo` alias): what a token stands
 * for, every value a string as Google renders them. Accepts `access_token` or `id_token` in the
 * query or a form body, or the access token as a Bearer header (google-auth-library's
 * `getTokenInfo` POSTs it that way).
 *
 * Federated tokens are a sandbox extension: Google's tokeninfo answers `invalid_token` for them
 * (measured), but tests need to see which principal STS minted a token for.
 */
export interface TokenInfoRequest {
  readonly accessToken: string | undefined;
  readonly idToken: string | undefined;
}

export async function tokenInfo(
  request: TokenInfoRequest,
  deps: {
    readonly store: AccessTokenStore;
    readonly signer: IdTokenSigner;
    readonly now: () => number;
  },
): Promise<WireResponse> {
  const now = deps.now();
  if (request.idToken !== undefined) {
    const claims = await deps.signer.verify(request.idToken, now);
    if (claims === undefined) return oauthError('invalid_token', 'Invalid Value');
    return { status: 200, body: stringValues(claims) };
  }
  const found =
    request.accessToken === undefined ? undefined : deps.store.lookup(request.accessToken, now);
  if (found === undefined) return oauthError('invalid_token', 'Invalid Value');
  const timing = {
    scope: found.scopes.join(' '),
    exp: String(Math.floor(found.expiresAt / 1000)),
    expires_in: String(Math.max(0, Math.floor((found.expiresAt - now) / 1000))),
    access_type: 'online',
  };
  if (found.kind === 'federated') {
    return {
      status: 200,
      body: { aud: `//iam.googleapis.com/${found.provider}`, sub: principalOf(found), ...timing },
    };
  }
  // Google shows the email only when the token carries an email scope.
  const showsEmail = found.scopes.some(
    (s) => s === 'email' || s === 'https://www.googleapis.com/auth/userinfo.email',
  );
  return {
    status: 200,
    body: {
      azp: found.uniqueId,
      aud: found.uniqueId,
      sub: found.uniqueId,
      ...timing,
      ...(showsEmail ? { email: found.email, email_verified: 'true' } : {}),
    },
  };
}

function stringValues(claims: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(claims)) {
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
