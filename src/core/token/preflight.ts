import { audiences, type Claims } from './claims.ts';

/**
 * Checks a relying party would make anyway, made before we send the token anywhere, so the
 * user reads "the token's audience is X, you asked for Y" instead of a remote refusal.
 */
export type PreflightCheck = 'expired' | 'not-yet-valid' | 'audience' | 'issuer' | 'missing-claim';

export interface PreflightProblem {
  readonly check: PreflightCheck;
  readonly message: string;
  readonly fix: string;
}

export interface PreflightVerdict {
  readonly ok: boolean;
  readonly problems: readonly PreflightProblem[];
  /** Seconds until `exp` at the time of the check (negative when expired). */
  readonly expiresInSeconds: number | undefined;
}

export interface PreflightOptions {
  /** The audience the token is meant for; checked against `aud` when given. */
  readonly audience?: string | undefined;
  /** Issuers we expect; checked against `iss` when non-empty. */
  readonly expectedIssuers?: readonly string[] | undefined;
  readonly now?: Date | undefined;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (relying parties allow about a minute). */
  readonly clockSkewSeconds?: number | undefined;
}

export function preflight(claims: Claims, options: PreflightOptions = {}): PreflightVerdict {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const skew = options.clockSkewSeconds ?? 60;
  const problems: PreflightProblem[] = [];

  for (const claim of ['iss', 'sub', 'exp'] as const) {
    if (claims[claim] === undefined) {
      problems.push({
        check: 'missing-claim',
        message: `The token has no "${claim}" claim.`,
        fix: 'Use the OIDC token your CI platform mints; this one is not a workload identity token.',
      });
    }
  }

  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (exp !== undefined && exp + skew <= now) {
    problems.push({
      check: 'expired',
      message: `The token expired ${formatAgo(now - exp)} ago (exp ${isoSeconds(exp)}).`,
      fix: 'Tokens live minutes: fetch a fresh one right before the exchange, or use refresh mode for long jobs.',
    });
  }

  const nbf = typeof claims.nbf === 'number' ? claims.nbf : undefined;
  if (nbf !== undefined && nbf - skew > now) {
    problems.push({
      check: 'not-yet-valid',
      message: `The token is not valid until ${isoSeconds(nbf)} (${formatAgo(nbf - now)} from now).`,
      fix: "Check this machine's clock (NTP); the token issuer's clock is ahead of it.",
    });
  }

  const wanted = options.audience;
  if (wanted !== undefined && wanted !== '') {
    const aud = audiences(claims);
    if (!aud.includes(wanted)) {
      problems.push({
        check: 'audience',
        message: `The token's audience is ${aud.length === 0 ? 'empty' : aud.map((a) => `"${a}"`).join(', ')}, not "${wanted}".`,
        fix: `Mint the token for "${wanted}" (GitHub: audience input; GitLab: id_tokens.<NAME>.aud; Kubernetes: serviceAccountToken.audience).`,
      });
    }
  }

  const issuers = options.expectedIssuers ?? [];
  if (issuers.length > 0 && typeof claims.iss === 'string' && !issuers.includes(claims.iss)) {
    problems.push({
      check: 'issuer',
      message: `The token was issued by "${claims.iss}", not by ${issuers.map((i) => `"${i}"`).join(' or ')}.`,
      fix: 'Use the token of the platform the trust configuration names, or add this issuer to it.',
    });
  }

  return {
    ok: problems.length === 0,
    problems,
    expiresInSeconds: exp === undefined ? undefined : exp - now,
  };
}

function isoSeconds(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
}

function formatAgo(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}
