import type { CredentialSet } from '../credentials/credential-set.ts';
import { audiences, type Claims } from './claims.ts';

/** Claims safe to show and output: everything but the token itself, which is the secret. */
export function publicClaims(claims: Claims): Record<string, unknown> {
  return { ...claims };
}

export interface TokenCredentialOptions {
  readonly fileName?: string;
  /** Variables that should receive the token file's path (e.g. AWS_WEB_IDENTITY_TOKEN_FILE). */
  readonly pathEnv?: readonly string[];
}

/** An OIDC token as a credential set: the token in a 0600 file, non-secret claims as outputs. */
export function tokenCredentialSet(
  token: string,
  claims: Claims,
  options: TokenCredentialOptions = {},
): CredentialSet {
  const aud = audiences(claims);
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  return {
    target: 'token',
    label: `OIDC token for ${aud.join(', ') || '(no audience)'}`,
    values: [{ name: 'token', value: token, secret: true, expiresAt: exp }],
    plan: {
      env: [],
      outputs: [
        { name: 'issuer', value: text(claims.iss), secret: false },
        { name: 'subject', value: text(claims.sub), secret: false },
        { name: 'audience', value: aud.join(','), secret: false },
        { name: 'expires-at', value: exp?.toISOString() ?? '', secret: false },
        { name: 'claims', value: JSON.stringify(publicClaims(claims)), secret: false },
      ],
      files: [
        {
          fileName: options.fileName ?? 'oidc-token',
          content: token,
          secret: true,
          pathEnv: options.pathEnv ?? [],
          pathOutputs: ['token-file'],
        },
      ],
    },
  };
}
