import type { AuthClient } from 'google-auth-library';
import type * as GoogleAuthModule from 'google-auth-library';
import { decodeToken } from '../../token/claims.ts';
import { withRetry } from '../../retry.ts';
import { CLOUD_PLATFORM_SCOPE, type GcpTargetConfig } from './config.ts';
import { classifyGoogleError, type GoogleErrorContext, type GoogleOperation } from './errors.ts';

type GoogleAuthLibrary = typeof GoogleAuthModule;

/** Starts loading google-auth-library at once, so it loads while the OIDC token request is in flight. */
export function preloadGoogleAuth(): Promise<GoogleAuthLibrary> {
  return import('google-auth-library');
}

export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';

export interface GoogleCallContext {
  readonly sdk: Promise<GoogleAuthLibrary>;
  readonly signal?: AbortSignal;
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export interface MintedToken {
  readonly token: string;
  readonly expiresAt: Date | undefined;
}

/** What the exchange produced: always the federated token, then what token-format asked for. */
export interface GcpTokens {
  readonly federated: MintedToken;
  readonly accessToken: MintedToken | undefined;
  readonly idToken: MintedToken | undefined;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** The gaxios request options this module sets (gaxios is the library's transport). */
interface RetryKnobs {
  retry?: boolean;
  retryConfig?: { retry?: number; noResponseRetries?: number };
  timeout?: number;
  signal?: AbortSignal | null;
}

/**
 * The library retries auth requests itself (three times, POST included); retries are ours, so
 * permanent refusals fail at once and transient ones share one deadline. Every request also
 * gets the step's abort signal and a per-request timeout.
 */
function ownRetries(client: AuthClient, signal: AbortSignal | undefined): void {
  addInterceptor(client, signal);
  // The STS exchange runs on a client of its own (`stsCredential`, not in the typings); the
  // test that counts STS calls under injected 429s fails if a library update moves it.
  const sts = (client as unknown as { stsCredential?: unknown }).stsCredential;
  if (sts instanceof Object && 'transporter' in sts) addInterceptor(sts as AuthClient, signal);
}

function addInterceptor(client: AuthClient, signal: AbortSignal | undefined): void {
  client.transporter.interceptors.request.add({
    resolved: <T extends RetryKnobs>(options: T) => {
      options.retry = false;
      options.retryConfig = { retry: 0, noResponseRetries: 0 };
      options.timeout = REQUEST_TIMEOUT_MS;
      if (signal !== undefined) options.signal = signal;
      return Promise.resolve(options);
    },
  });
}

function retrying<T>(
  config: GcpTargetConfig,
  operation: GoogleOperation,
  errorContext: GoogleErrorContext,
  ctx: GoogleCallContext,
  call: () => Promise<T>,
): Promise<T> {
  return withRetry(
    async () => {
      try {
        return await call();
      } catch (error) {
        throw classifyGoogleError(error, errorContext);
      }
    },
    {
      what: `calling GCP ${operation}`,
      deadlineMs: config.timeoutSeconds * 1000,
      maxAttempts: config.retryMaxAttempts,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.onRetry === undefined ? {} : { onRetry: ctx.onRetry }),
    },
  );
}

function expiryOf(date: number | null | undefined): Date | undefined {
  return typeof date === 'number' && Number.isFinite(date) ? new Date(date) : undefined;
}

/**
 * STS token exchange (IdentityPoolClient with the token we already hold as its subject), then
 * with a service account `generateAccessToken` or `generateIdToken` through `Impersonated`.
 * With token-format none the exchange still runs, so a refused trust configuration fails this
 * step with its reason instead of the first SDK call of a later one.
 */
export async function mintGcpTokens(
  config: GcpTargetConfig,
  subjectToken: string,
  ctx: GoogleCallContext,
): Promise<GcpTokens> {
  const sdk = await ctx.sdk;
  const impersonating = config.serviceAccount !== undefined;
  const federatedClient = new sdk.IdentityPoolClient({
    type: 'external_account',
    audience: config.stsAudience,
    subject_token_type: JWT_TOKEN_TYPE,
    token_url: config.stsUrl,
    universe_domain: config.universe,
    subject_token_supplier: { getSubjectToken: () => Promise.resolve(subjectToken) },
    // The library renews 5 minutes before expiry, and a federated token lives no longer than
    // the CI token (often 5 minutes): without this, every call here would exchange again.
    eagerRefreshThresholdMillis: 5_000,
    // IAM Credentials needs cloud-platform; without impersonation the user's scopes go to STS.
    scopes: impersonating ? [CLOUD_PLATFORM_SCOPE] : [...config.accessTokenScopes],
  });
  ownRetries(federatedClient, ctx.signal);
  const pool = `projects/${config.projectNumber}/locations/global/workloadIdentityPools/${config.poolId}`;
  const stsContext: GoogleErrorContext = {
    operation: 'STS token exchange',
    resource: config.workloadIdentityProvider,
    audience: config.audience,
    poolResource: pool,
    door: config.door,
  };
  const federatedToken = await retrying(config, 'STS token exchange', stsContext, ctx, async () => {
    const { token } = await federatedClient.getAccessToken();
    if (token === null || token === undefined || token === '')
      throw new Error('STS answered without an access token');
    return token;
  });
  const federated = {
    token: federatedToken,
    expiresAt: expiryOf(federatedClient.credentials.expiry_date),
  };

  if (config.serviceAccount === undefined) {
    return {
      federated,
      accessToken: config.tokenFormat === 'access_token' ? federated : undefined,
      idToken: undefined,
    };
  }
  const impersonated = new sdk.Impersonated({
    sourceClient: federatedClient,
    targetPrincipal: config.serviceAccount,
    delegates: [...config.delegates],
    targetScopes: [...config.accessTokenScopes],
    lifetime: config.accessTokenLifetimeSeconds,
    endpoint: config.iamCredentialsUrl,
  });
  ownRetries(impersonated, ctx.signal);

  if (config.tokenFormat === 'id_token') {
    const audience = config.idTokenAudience ?? '';
    const idContext: GoogleErrorContext = {
      operation: 'generateIdToken',
      resource: config.serviceAccount,
      poolResource: pool,
      door: config.door,
    };
    const token = await retrying(config, 'generateIdToken', idContext, ctx, () =>
      impersonated.fetchIdToken(audience, { includeEmail: config.idTokenIncludeEmail }),
    );
    const exp = decodeToken(token).claims.exp;
    return {
      federated,
      accessToken: undefined,
      idToken: { token, expiresAt: typeof exp === 'number' ? new Date(exp * 1000) : undefined },
    };
  }
  const accessContext: GoogleErrorContext = {
    operation: 'generateAccessToken',
    resource: config.serviceAccount,
    poolResource: pool,
    door: config.door,
  };
  const accessToken = await retrying(
    config,
    'generateAccessToken',
    accessContext,
    ctx,
    async () => {
      const { token } = await impersonated.getAccessToken();
      if (token === null || token === undefined || token === '')
        throw new Error('IAM Credentials answered without an access token');
      return token;
    },
  );
  return {
    federated,
    // With token-format none the token only proved the impersonation works; nobody asked for
    // it, so it is not handed out (an output or a printed variable would be a live credential).
    accessToken:
      config.tokenFormat === 'access_token'
        ? { token: accessToken, expiresAt: expiryOf(impersonated.credentials.expiry_date) }
        : undefined,
    idToken: undefined,
  };
}
