import type { Claims } from '../../core/token/claims.ts';
import { verifyOidcToken, type TokenVerification } from '../verify-token.ts';
import {
  entraError,
  type AadstsCode,
  type AadstsDetails,
  type EntraErrorResponse,
} from './aadsts.ts';
import type { AccessTokenSigner } from './access-token.ts';
import { ACCESS_TOKEN_LIFETIME_SECONDS } from './access-token.ts';
import type { AzureApp, AzureConfig, AzureTenant } from './config.ts';
import { matchFederatedCredential } from './trust.ts';

/**
 * `POST /<tenant>/oauth2/v2.0/token` for the client-credentials grant with a federated client
 * assertion ("Microsoft identity platform and the OAuth 2.0 client credentials flow", third
 * case: certificate/federated credential; "Workload identity federation"). The first failing
 * check answers, in this order: request shape, application, scope, client authentication,
 * the assertion's signature and lifetime, then the app's federated identity credentials
 * through the policy engine. (The tenant is resolved by the caller.)
 */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface TokenSuccess {
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly ext_expires_in: number;
  readonly access_token: string;
}

export type TokenOutcome =
  | {
      readonly ok: true;
      readonly status: 200;
      readonly body: TokenSuccess;
      readonly app: AzureApp;
      readonly credential: string;
    }
  | { readonly ok: false; readonly response: EntraErrorResponse };

export interface TokenRequestContext {
  readonly config: AzureConfig;
  readonly signer: AccessTokenSigner;
  readonly correlationId: string | undefined;
  readonly now?: () => Date;
}

/** OIDC scopes MSAL may add to any request; they carry no resource. */
const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);

export async function handleTokenRequest(
  tenant: AzureTenant,
  form: URLSearchParams,
  context: TokenRequestContext,
): Promise<TokenOutcome> {
  const now = context.now ?? (() => new Date());
  const fail = (code: AadstsCode, details: AadstsDetails = {}): TokenOutcome => ({
    ok: false,
    response: entraError(
      code,
      { tenant: tenant.id, tenantName: tenant.name, ...details },
      {
        correlationId: context.correlationId,
        now: now(),
      },
    ),
  });

  const grantType = field(form, 'grant_type');
  if (grantType === undefined) return fail(900144, { parameter: 'grant_type' });
  if (grantType !== 'client_credentials') return fail(70003, { grantType });
  const clientId = field(form, 'client_id');
  if (clientId === undefined) return fail(900144, { parameter: 'client_id' });
  const scope = field(form, 'scope');
  if (scope === undefined) return fail(900144, { parameter: 'scope' });

  const app = context.config.apps.find(
    (a) => a.tenantId === tenant.id && a.clientId === clientId.toLowerCase(),
  );
  if (app === undefined) return fail(700016, { clientId });

  const resources = scope.split(' ').filter((s) => s !== '' && !oidcScopes.has(s));
  const only = resources.length === 1 ? resources[0] : undefined;
  if (only === undefined || !only.endsWith('/.default') || only === '/.default')
    return fail(1002012, { scope });
  const resource = only.slice(0, -'/.default'.length);

  const assertion = field(form, 'client_assertion');
  if (assertion === undefined) {
    // No secret is ever registered on a sandbox app, so a secret is always the wrong one.
    if (field(form, 'client_secret') !== undefined) return fail(7000215);
    return fail(7000218);
  }
  const assertionType = field(form, 'client_assertion_type');
  if (assertionType === undefined) return fail(900144, { parameter: 'client_assertion_type' });
  if (assertionType !== CLIENT_ASSERTION_TYPE) return fail(90011);

  const verification = await verifyAssertion(assertion, app, now);
  if (!verification.ok) {
    const claims: Claims = verification.claims ?? {};
    const details = assertionDetails(claims, now());
    switch (verification.reason) {
      case 'malformed':
        return fail(50027);
      case 'unknown-issuer':
        // A credential naming this issuer exists but its keys cannot be fetched from here.
        if (app.federatedCredentials.some((c) => c.issuer === claims.iss))
          return fail(50166, details);
        return fail(700211, details);
      case 'issuer-unreachable':
        return fail(50166, details);
      case 'bad-signature': {
        const keyId = keyIdOf(assertion);
        return fail(7000272, keyId === undefined ? details : { ...details, keyId });
      }
      case 'expired':
      case 'not-yet-valid':
        return fail(700024, details);
      case 'audience':
        // The audience predicate accepts everything: audiences are the credentials' business.
        return fail(70021, details);
    }
  }

  const claims = verification.claims;
  const match = matchFederatedCredential(app.federatedCredentials, claims);
  if (!match.ok) return fail(match.code, assertionDetails(claims, now()));

  const issued = await context.signer.issue({
    tenantId: tenant.id,
    clientId: app.clientId,
    objectId: app.objectId,
    resource,
    now: now(),
  });
  return {
    ok: true,
    status: 200,
    app,
    credential: match.credential,
    body: {
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      access_token: issued.token,
    },
  };
}

/**
 * Signature, `exp` and `nbf` through the issuer's discovery document and JWKS. Only issuers
 * named by one of the app's credentials are fetched; audience and subject are left to the
 * credential match, which is where Entra reports them.
 */
function verifyAssertion(
  assertion: string,
  app: AzureApp,
  now: () => Date,
): Promise<TokenVerification> {
  const issuers = [...new Set(app.federatedCredentials.map((c) => c.issuer))];
  return verifyOidcToken(assertion, { trustedIssuers: issuers, audience: () => true, now });
}

function assertionDetails(claims: Claims, now: Date): AadstsDetails {
  const aud = claims.aud;
  const audience = typeof aud === 'string' ? aud : Array.isArray(aud) ? aud.join(',') : undefined;
  return {
    ...(typeof claims.iss === 'string' ? { issuer: claims.iss } : {}),
    ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
    ...(audience === undefined ? {} : { audience }),
    ...(typeof claims.nbf === 'number' ? { notBefore: claims.nbf } : {}),
    ...(typeof claims.exp === 'number' ? { expires: claims.exp } : {}),
    now: now.getTime() / 1000,
  };
}

function keyIdOf(assertion: string): string | undefined {
  try {
    const header = JSON.parse(
      Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    if (
      typeof header === 'object' &&
      header !== null &&
      'kid' in header &&
      typeof header.kid === 'string'
    ) {
      return header.kid;
    }
  } catch {
    // An undecodable header has no key id to report.
  }
  return undefined;
}

/** A form field, treating an empty value as absent (Entra reports both as missing). */
function field(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name);
  return value === null || value === '' ? undefined : value;
}
