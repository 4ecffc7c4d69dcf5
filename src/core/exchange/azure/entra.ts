import type * as IdentitySdk from './identity-sdk.ts';
import type { ClientAssertionCredentialOptions } from '@azure/identity';
import { withRetry } from '../../retry.ts';
import type { AzureTargetConfig } from './config.ts';
import {
  classifyEntraError,
  observeErrorBody,
  type EntraObservation,
  type EntraRequest,
} from './errors.ts';

type Identity = typeof IdentitySdk;
type Policy = NonNullable<ClientAssertionCredentialOptions['additionalPolicies']>[number]['policy'];

/** Starts loading @azure/identity at once, so it loads while the OIDC token request is in flight. */
export function preloadIdentitySdk(): Promise<Identity> {
  return import('./identity-sdk.ts');
}

export interface EntraToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface EntraCallContext {
  readonly sdk: Promise<Identity>;
  readonly signal?: AbortSignal | undefined;
  readonly claims?: EntraRequest['claims'];
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Records status, AADSTS code and transport errors of each request; never a success body. */
function observer(seen: EntraObservation): Policy {
  return {
    name: 'wif-observe-entra',
    async sendRequest(request, next) {
      try {
        const response = await next(request);
        seen.status = response.status;
        if (response.status >= 400) observeErrorBody(seen, response.bodyAsText ?? undefined);
        return response;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string') seen.networkCode = code;
        throw error;
      }
    },
  };
}

/**
 * Client credentials with the OIDC token as a federated client assertion, exactly as
 * WorkloadIdentityCredential does on AKS: `ClientAssertionCredential` against the tenant's v2.0
 * token endpoint. Retries are ours (the SDK's are off), so a refusal fails at once and transient
 * failures share the step's deadline. A fresh credential per attempt keeps MSAL's cache and the
 * observation to that attempt.
 */
export async function acquireEntraToken(
  config: AzureTargetConfig,
  assertion: string,
  scope: string,
  ctx: EntraCallContext,
): Promise<EntraToken> {
  const sdk = await ctx.sdk;
  const request: EntraRequest = {
    clientId: config.clientId,
    tenantId: config.tenantId,
    authorityHost: config.authorityHost,
    scope,
    claims: ctx.claims,
    door: config.door,
  };
  return withRetry(
    async (signal) => {
      const seen: EntraObservation = {};
      const credential = new sdk.ClientAssertionCredential(
        config.tenantId,
        config.clientId,
        () => Promise.resolve(assertion),
        {
          authorityHost: config.authorityHost,
          // A host MSAL does not know (Azure Stack, the sandbox) would send it to ask
          // login.microsoftonline.com about that host first; the known clouds need no such call.
          disableInstanceDiscovery: config.customAuthority,
          retryOptions: { maxRetries: 0 },
          additionalPolicies: [{ policy: observer(seen), position: 'perRetry' }],
        },
      );
      try {
        const token = await credential.getToken(scope, { abortSignal: signal });
        return { token: token.token, expiresAt: new Date(token.expiresOnTimestamp) };
      } catch (error) {
        throw classifyEntraError(error, seen, request);
      }
    },
    {
      what: `getting a token from Entra ID for app ${config.clientId}`,
      deadlineMs: config.timeoutSeconds * 1000,
      maxAttempts: config.retryMaxAttempts,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      ...(ctx.onRetry === undefined ? {} : { onRetry: ctx.onRetry }),
    },
  );
}
