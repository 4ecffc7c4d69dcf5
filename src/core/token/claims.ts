import { decodeJwt, decodeProtectedHeader, errors as joseErrors } from 'jose';
import { WifError } from '../errors.ts';

/** The JSON payload of an OIDC token. Custom claims are whatever the issuer put there. */
export type Claims = Readonly<Record<string, unknown>> & {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | readonly string[];
  readonly exp?: number;
  readonly nbf?: number;
  readonly iat?: number;
  readonly jti?: string;
};

export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Claims;
}

/**
 * Decodes a compact JWS without verifying it. Verification is the relying party's job (the
 * emulators do it through JWKS); we decode to explain and pre-flight, never to trust.
 */
export function decodeToken(token: string): DecodedToken {
  const trimmed = token.trim();
  if (trimmed.split('.').length !== 3) {
    throw new WifError(
      'token-invalid',
      'The token is not a JWT (expected three dot-separated parts).',
      {
        fix: 'Check that the variable or file holds the raw OIDC token, not a path or a JSON wrapper.',
      },
    );
  }
  try {
    const header = decodeProtectedHeader(trimmed) as Record<string, unknown>;
    const claims = decodeJwt(trimmed) as Claims;
    return { header, claims };
  } catch (error) {
    const reason = error instanceof joseErrors.JOSEError ? error.message : 'undecodable';
    throw new WifError('token-invalid', `The token is not a valid JWT: ${reason}.`, {
      fix: 'Check that the variable or file holds the raw OIDC token.',
      cause: error,
    });
  }
}

/** `aud` as a list, whatever shape the issuer used. */
export function audiences(claims: Claims): readonly string[] {
  const aud = claims.aud;
  if (aud === undefined) return [];
  return typeof aud === 'string' ? [aud] : aud;
}

/** A claim as a string when it is one; numbers are not coerced (GitHub IDs are strings). */
export function stringClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}
