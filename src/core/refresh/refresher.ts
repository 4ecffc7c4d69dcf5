import { createHash } from 'node:crypto';
import { WifError } from '../errors.ts';
import type { SecretDirectory } from '../credentials/secret-files.ts';
import { decodeToken } from '../token/claims.ts';
import { sleep } from '../retry.ts';
import type { TokenSource } from '../token/source.ts';

/**
 * Credentials that outlive the CI token: one 0600 file per audience, re-minted before the
 * token in it expires, for SDKs that re-read a web-identity token file (AWS
 * AWS_WEB_IDENTITY_TOKEN_FILE, GCP external_account `file` source, Azure
 * AZURE_FEDERATED_TOKEN_FILE). This is how pods on EKS, GKE and AKS get cloud identity; the
 * kubelet's rotation is played here by a small detached process that the post step stops.
 */
export function tokenFileName(audience: string): string {
  return `oidc-${createHash('sha256').update(audience).digest('hex').slice(0, 16)}`;
}

export interface RefreshTarget {
  readonly audience: string;
  readonly fileName: string;
}

export function refreshTargets(audiences: readonly string[]): RefreshTarget[] {
  return [...new Set(audiences)].map((audience) => ({
    audience,
    fileName: tokenFileName(audience),
  }));
}

/** Re-mint when half the token's lifetime is gone: early enough to survive a slow mint. */
export function nextRefreshDelayMs(token: string, nowMs: number): number {
  const { claims } = decodeToken(token);
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : nowMs + 60_000;
  const iat = typeof claims.iat === 'number' ? claims.iat * 1000 : nowMs;
  const lifetime = Math.max(1_000, exp - iat);
  const at = iat + lifetime / 2;
  return Math.max(1_000, Math.min(at - nowMs, exp - nowMs - 5_000));
}

/** Mints every audience once and writes its file; returns when the earliest must be renewed. */
export async function refreshOnce(
  source: TokenSource,
  dir: SecretDirectory,
  targets: readonly RefreshTarget[],
  signal: AbortSignal,
): Promise<number> {
  let delay = Number.POSITIVE_INFINITY;
  for (const target of targets) {
    const token = await source.fetch(target.audience, signal);
    await dir.write(target.fileName, token);
    delay = Math.min(delay, nextRefreshDelayMs(token, Date.now()));
  }
  return delay;
}

export interface RefresherOptions {
  readonly signal: AbortSignal;
  /** The refresher stops by itself after this long, whatever happens (a job's own limit is 6 h). */
  readonly maxLifetimeMs: number;
  readonly log: (line: string) => void;
}

/** The refresher's loop: bounded in time, retrying failed mints with backoff until the next deadline. */
export async function runRefresher(
  source: TokenSource,
  dir: SecretDirectory,
  targets: readonly RefreshTarget[],
  options: RefresherOptions,
): Promise<void> {
  const stopAt = Date.now() + options.maxLifetimeMs;
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.maxLifetimeMs)]);
  let failures = 0;
  while (!signal.aborted && Date.now() < stopAt) {
    let delay: number;
    try {
      delay = await refreshOnce(source, dir, targets, signal);
      failures = 0;
      options.log(
        `refreshed ${targets.length} token file(s); next in ${Math.round(delay / 1000)} s`,
      );
    } catch (error) {
      failures++;
      delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
      const reason = error instanceof WifError ? error.oneLine() : String(error);
      options.log(
        `refresh failed (${failures} in a row): ${reason}; retrying in ${Math.round(delay / 1000)} s`,
      );
    }
    await sleep(Math.min(delay, Math.max(0, stopAt - Date.now())), signal).catch(() => undefined);
  }
  options.log('refresher stopped');
}
