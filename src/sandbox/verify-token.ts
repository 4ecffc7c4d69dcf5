import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import type { Claims } from '../core/token/claims.ts';

/**
 * How every sandbox emulator verifies an incoming OIDC token, the way relying parties document
 * it (AWS, GCP, Entra and Vault all do the same dance): read `iss` without trusting it, accept
 * only an issuer on the caller's list, fetch `<iss>/.well-known/openid-configuration`, follow
 * its `jwks_uri`, verify the signature, then `iss`, `exp`, `nbf` and `aud`.
 *
 * Token problems are values, never exceptions: each emulator maps a reason to its own wire
 * error (AWS `InvalidIdentityToken`, `ExpiredTokenException`, `IDPCommunicationError`…).
 */
export type TokenVerification =
  | { ok: true; claims: Claims; header: Record<string, unknown> }
  | {
      ok: false;
      reason: TokenRejection;
      message: string;
      claims?: Claims;
    };

export type TokenRejection =
  | 'malformed'
  | 'unknown-issuer'
  | 'issuer-unreachable'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'audience';

export interface VerifyOptions {
  /**
   * Issuers to accept, compared exactly (no trailing-slash folding: relying parties compare
   * `iss` byte for byte). An entry `http://127.0.0.1:*` accepts any loopback port and path.
   * Default: `['http://127.0.0.1:*']`. Whatever the list says, only http(s) issuers on
   * 127.0.0.1 are ever fetched: the sandbox never reaches another host.
   */
  trustedIssuers?: readonly string[];
  /**
   * Accepted audiences (the token must name at least one), or a predicate over the token's
   * audience list. When omitted the token must still carry a non-empty `aud`.
   */
  audience?: readonly string[] | ((aud: readonly string[]) => boolean);
  /** Leeway for `exp` and `nbf`, in seconds. Default 0. */
  clockToleranceSeconds?: number;
  /** The verifier's clock. Default: the system clock. */
  now?: () => Date;
  /** Budget for each discovery or JWKS fetch, in milliseconds. Default 5000. */
  fetchTimeoutMs?: number;
}

export const loopbackIssuers: readonly string[] = ['http://127.0.0.1:*'];

const asymmetricAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

export async function verifyOidcToken(
  token: string,
  options: VerifyOptions = {},
): Promise<TokenVerification> {
  const compact = token.trim();
  let unverified: Claims;
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(compact);
    unverified = decodeJwt(compact);
  } catch {
    return reject('malformed', 'The token is not a compact JWT with a JSON header and payload.');
  }
  const iss = unverified.iss;
  if (typeof iss !== 'string' || iss === '') {
    return reject('malformed', 'The token has no "iss" claim.', unverified);
  }
  const trusted = options.trustedIssuers ?? loopbackIssuers;
  if (!trusted.some((entry) => issuerMatches(entry, iss))) {
    return reject('unknown-issuer', `The issuer "${iss}" is not trusted here.`, unverified);
  }
  if (!isLoopbackUrl(iss)) {
    return reject(
      'unknown-issuer',
      `The issuer "${iss}" is not on 127.0.0.1; the sandbox never fetches keys from another host.`,
      unverified,
    );
  }

  const timeoutMs = options.fetchTimeoutMs ?? 5000;
  const keys = await keySetFor(iss, timeoutMs);
  if (!keys.ok) return reject('issuer-unreachable', keys.message, unverified);

  let claims: Claims;
  try {
    const verified = await jwtVerify(compact, keys.getKey, {
      issuer: iss,
      algorithms: asymmetricAlgorithms,
      clockTolerance: options.clockToleranceSeconds ?? 0,
      currentDate: (options.now ?? (() => new Date()))(),
      requiredClaims: ['exp'],
    });
    claims = verified.payload;
  } catch (error) {
    if (
      !(error instanceof joseErrors.JOSEError) ||
      error instanceof joseErrors.JWKSTimeout ||
      error instanceof joseErrors.JWKSInvalid
    )
      forgetIssuer(iss);
    return rejectionFor(error, iss, unverified);
  }

  const aud = audienceList(claims);
  if (!audienceAccepted(aud, options.audience)) {
    const shown = aud.length === 0 ? 'no audience' : `audience ${JSON.stringify(aud)}`;
    return reject('audience', `The token has ${shown}, which is not accepted here.`, claims);
  }
  return { ok: true, claims, header };
}

function reject(reason: TokenRejection, message: string, claims?: Claims): TokenVerification {
  return claims === undefined
    ? { ok: false, reason, message }
    : { ok: false, reason, message, claims };
}

function rejectionFor(error: unknown, iss: string, claims: Claims): TokenVerification {
  if (error instanceof joseErrors.JWTExpired) {
    return reject('expired', 'The token has expired ("exp" is in the past).', claims);
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') {
      return reject(
        'not-yet-valid',
        'The token is not valid yet ("nbf" is in the future).',
        claims,
      );
    }
    if (error.claim === 'exp')
      return reject('malformed', 'The token has no usable "exp" claim.', claims);
    if (error.claim === 'iat')
      return reject('malformed', 'The token has an unusable "iat" claim.', claims);
    return reject(
      'malformed',
      `The token's "${error.claim}" claim is invalid: ${error.message}.`,
      claims,
    );
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys ||
    error instanceof joseErrors.JOSEAlgNotAllowed ||
    error instanceof joseErrors.JOSENotSupported
  ) {
    return reject(
      'bad-signature',
      `The token's signature does not verify against the keys published by "${iss}".`,
      claims,
    );
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return reject(
      'issuer-unreachable',
      `The JWKS of "${iss}" could not be fetched: ${error.message}.`,
      claims,
    );
  }
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) {
    return reject('malformed', `The token is malformed: ${error.message}.`, claims);
  }
  if (error instanceof joseErrors.JOSEError) {
    return reject('bad-signature', `The token does not verify: ${error.message}.`, claims);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return reject(
    'issuer-unreachable',
    `The keys of "${iss}" could not be fetched: ${detail}.`,
    claims,
  );
}

function issuerMatches(entry: string, iss: string): boolean {
  if (!entry.endsWith(':*')) return entry === iss;
  const origin = entry.slice(0, -2);
  const rest = iss.startsWith(`${origin}:`) ? iss.slice(origin.length + 1) : undefined;
  return rest !== undefined && /^\d{1,5}(\/.*)?$/.test(rest);
}

function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname === '127.0.0.1' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

function audienceList(claims: Claims): readonly string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

function audienceAccepted(aud: readonly string[], accepted: VerifyOptions['audience']): boolean {
  if (accepted === undefined) return aud.length > 0;
  if (typeof accepted === 'function') return accepted(aud);
  return aud.some((a) => accepted.includes(a));
}

type KeySet = { ok: true; getKey: JWTVerifyGetKey } | { ok: false; message: string };

/**
 * One remote key set per issuer, so emulators fetch discovery once and JWKS when a new `kid`
 * shows up (no cooldown: a sandbox rotation must be visible at once). A failure is not cached.
 */
const keySets = new Map<string, Promise<KeySet>>();

function forgetIssuer(iss: string): void {
  keySets.delete(iss);
}

async function keySetFor(iss: string, timeoutMs: number): Promise<KeySet> {
  let pending = keySets.get(iss);
  if (pending === undefined) {
    pending = discoverKeySet(iss, timeoutMs);
    keySets.set(iss, pending);
  }
  const result = await pending;
  if (!result.ok) forgetIssuer(iss);
  return result;
}

async function discoverKeySet(iss: string, timeoutMs: number): Promise<KeySet> {
  const discoveryUrl = `${iss.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetch(discoveryUrl, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, message: `${discoveryUrl} answered HTTP ${response.status}.` };
    }
    document = await response.json();
  } catch (error) {
    const detail = error instanceof Error ? causeMessage(error) : String(error);
    return { ok: false, message: `${discoveryUrl} could not be fetched: ${detail}.` };
  }
  if (typeof document !== 'object' || document === null) {
    return { ok: false, message: `${discoveryUrl} is not a JSON object.` };
  }
  const { issuer, jwks_uri: jwksUri } = document as Record<string, unknown>;
  // OpenID Connect Discovery §4.3: the document's issuer MUST equal the URL it was fetched for.
  if (issuer !== iss) {
    return {
      ok: false,
      message: `${discoveryUrl} names issuer ${JSON.stringify(issuer)}, not "${iss}".`,
    };
  }
  if (typeof jwksUri !== 'string' || !isLoopbackUrl(jwksUri)) {
    return { ok: false, message: `${discoveryUrl} has no loopback "jwks_uri".` };
  }
  const getKey = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: timeoutMs,
    cooldownDuration: 0,
    cacheMaxAge: 60_000,
  });
  return { ok: true, getKey };
}

function causeMessage(error: Error): string {
  const cause: unknown = error.cause;
  if (cause instanceof Error && cause.message !== '') return cause.message;
  if (typeof cause === 'object' && cause !== null && 'code' in cause) return String(cause.code);
  return error.message;
}
