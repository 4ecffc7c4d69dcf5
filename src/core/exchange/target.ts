import type { Claims } from '../token/claims.ts';

/**
 * What an exchange reads of the pipeline's token: the string it presents and the claims it
 * explains refusals with. Plain data, so it crosses to a worker thread; an `ObtainedToken` is one.
 */
export interface TargetToken {
  readonly token: string;
  readonly claims: Claims;
}

/** What every exchange gets from its front door, whatever the platform. */
export interface TargetContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Fetches a fresh token for an audience (GitHub mints one; other sources check theirs). */
  readonly token: (audience: string) => Promise<TargetToken>;
  readonly signal?: AbortSignal | undefined;
  readonly log: (line: string) => void;
  /**
   * Refresh mode: the path of the token file the refresher keeps fresh for `audience`, or
   * undefined when the front door runs no refresher.
   */
  readonly refreshTokenFile: (audience: string) => string | undefined;
  /** argv that runs `wif` (for credential_process and similar hand-offs). */
  readonly wifCommand: readonly string[];
  /**
   * Called just before an exchange logs a tool in outside its credential set (`az login`), so
   * the front door can record it first: a step that fails right after the login must still
   * log the tool out.
   */
  readonly loginAttempted: (tool: ToolLogin) => void;
}

/** Tools an exchange can log in, which the front door then has to log out. */
export type ToolLogin = 'az';
