import { WifError } from '../errors.ts';
import { withRetry } from '../retry.ts';
import { decodeToken, type DecodedToken } from './claims.ts';
import { preflight, type PreflightOptions, type PreflightVerdict } from './preflight.ts';
import type { TokenSource } from './source.ts';

export interface ObtainOptions extends PreflightOptions {
  /** Overall budget for fetching, retries included. */
  readonly deadlineMs?: number;
  readonly maxAttempts?: number;
  /** When false, a failed pre-flight is returned instead of thrown (used by `wif token`). */
  readonly enforcePreflight?: boolean;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export interface ObtainedToken extends DecodedToken {
  readonly token: string;
  readonly verdict: PreflightVerdict;
  readonly source: TokenSource;
}

/**
 * Fetches a token from its source (retrying only transient failures), decodes it and runs the
 * pre-flight checks. The first failed check is thrown as one actionable WifError.
 */
export async function obtainToken(
  source: TokenSource,
  options: ObtainOptions = {},
): Promise<ObtainedToken> {
  const token = await withRetry((signal) => source.fetch(options.audience, signal), {
    what: `fetching the OIDC token from ${source.description}`,
    deadlineMs: options.deadlineMs ?? 30_000,
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  });
  const decoded = decodeToken(token);
  const verdict = preflight(decoded.claims, options);
  const first = verdict.problems[0];
  if ((options.enforcePreflight ?? true) && first !== undefined) {
    throw new WifError('token-invalid', `Token from ${source.description}: ${first.message}`, {
      fix: first.fix,
    });
  }
  return { ...decoded, token, verdict, source };
}
