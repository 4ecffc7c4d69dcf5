import { evaluateGcpProvider, type GcpProviderDecision } from '../../core/policy/index.ts';
import type { Claims } from '../../core/token/claims.ts';
import type { TokenVerification } from '../verify-token.ts';
import {
  poolResource,
  providerResource,
  type GcpConfig,
  type GcpPool,
  type GcpProvider,
} from './config.ts';
import type { AccessTokenStore } from './tokens.ts';
import { invalidJsonPayload, oauthError, stsDescriptions, type WireResponse } from './wire.ts';

/**
 * Security Token Service `POST /v1/token` (RFC 8693 token exchange), as documented at
 * https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token: an OIDC token from a
 * workload identity pool provider's issuer in, a federated access token out. Refusals are
 * OAuth errors with HTTP 400 and the descriptions Google gives.
 */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_TYPES: readonly string[] = [
  'urn:ietf:params:oauth:token-type:jwt',
  'urn:ietf:params:oauth:token-type:id_token',
];
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
/** Google caps a federated token at one hour, and at the subject token's own expiry. */
const MAX_FEDERATED_SECONDS = 3600;
/** Measured against the real service: about a minute of skew is tolerated either way. */
export const CLOCK_SKEW_SECONDS = 60;

export interface StsDependencies {
  readonly config: GcpConfig;
  readonly store: AccessTokenStore;
  readonly now: () => number;
  /** Verifies signature, `iss` (against `issuer` exactly), `exp` and `nbf` through the issuer's JWKS. */
  readonly verify: (token: string, issuer: string) => Promise<TokenVerification>;
  /** Sees every policy decision, e.g. to log its trace. */
  readonly onDecision?: (decision: GcpProviderDecision) => void;
}

/** RFC 8693 parameter names; JSON bodies may use the proto (lowerCamel) names instead. */
const FIELDS = [
  'grant_type',
  'audience',
  'scope',
  'requested_token_type',
  'subject_token',
  'subject_token_type',
  'options',
] as const;
type Field = (typeof FIELDS)[number];
export type StsParameters = Partial<Record<Field, string>>;
export type ParsedStsBody =
  | { readonly ok: true; readonly params: StsParameters }
  | { readonly ok: false; readonly response: WireResponse };

const camel: Record<string, Field> = {
  grantType: 'grant_type',
  requestedTokenType: 'requested_token_type',
  subjectToken: 'subject_token',
  subjectTokenType: 'subject_token_type',
};

/**
 * Reads the request body: `application/x-www-form-urlencoded` as google-auth-library sends it,
 * or JSON with proto field names as google-github-actions/auth sends it (Google's JSON mapping
 * accepts both the proto and the lowerCamel spelling of each field).
 */
export function parseStsBody(contentType: string | undefined, body: string): ParsedStsBody {
  const refuse = (description: string): ParsedStsBody => ({
    ok: false,
    response: oauthError('invalid_request', description),
  });
  const unmappable = (problem: string): ParsedStsBody => ({
    ok: false,
    response: invalidJsonPayload(problem),
  });
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return unmappable('The request body is not valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return unmappable('The request body must be a JSON object.');
    }
    const params: StsParameters = {};
    for (const [key, value] of Object.entries(parsed)) {
      const field = camel[key] ?? (FIELDS as readonly string[]).find((f) => f === key);
      if (field === undefined) {
        return unmappable(`Unknown name "${key}": Cannot find field.`);
      }
      if (typeof value !== 'string') {
        return unmappable(`Invalid value at '${key}' (TYPE_STRING), ${JSON.stringify(value)}`);
      }
      params[field as Field] = value;
    }
    return { ok: true, params };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    const form = new URLSearchParams(body);
    const params: StsParameters = {};
    for (const field of FIELDS) {
      const value = form.get(field);
      if (value !== null) params[field] = value;
    }
    return { ok: true, params };
  }
  return refuse(
    `Unsupported content type "${type}". Send application/x-www-form-urlencoded or application/json.`,
  );
}

const AUDIENCE =
  /^\/\/iam\.googleapis\.com\/projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/([^/]+)\/providers\/([^/]+)$/;
const WORKFORCE_AUDIENCE =
  /^\/\/iam\.googleapis\.com\/locations\/global\/workforcePools\/[^/]+\/providers\/[^/]+$/;

export async function exchangeToken(
  params: StsParameters,
  deps: StsDependencies,
): Promise<WireResponse> {
  if (params.grant_type !== TOKEN_EXCHANGE_GRANT) {
    return oauthError(
      'invalid_request',
      `Invalid value for "grant_type". Expected ${TOKEN_EXCHANGE_GRANT}.`,
    );
  }
  const audience = params.audience ?? '';
  const match = AUDIENCE.exec(audience);
  if (match === null && !WORKFORCE_AUDIENCE.test(audience)) {
    return oauthError('invalid_request', stsDescriptions.audienceFormat);
  }
  if (params.subject_token_type === undefined || !JWT_TYPES.includes(params.subject_token_type)) {
    return oauthError(
      'invalid_request',
      `Invalid value for "subject_token_type". An OIDC provider accepts ${JWT_TYPES.join(' or ')}.`,
    );
  }
  if (params.requested_token_type !== ACCESS_TOKEN_TYPE) {
    return oauthError(
      'invalid_request',
      `Invalid value for "requested_token_type". Expected ${ACCESS_TOKEN_TYPE}.`,
    );
  }
  const subjectToken = params.subject_token ?? '';
  if (subjectToken === '') {
    return oauthError(
      'invalid_request',
      'Invalid value for "subject_token". The subject token is required.',
    );
  }
  if (params.options !== undefined && !isJsonObject(params.options)) {
    return oauthError(
      'invalid_request',
      'Invalid value for "options". It must be a JSON object encoded as a string.',
    );
  }
  const found =
    match === null ? undefined : findProvider(deps.config, match[1], match[2], match[3]);
  if (found === undefined) return oauthError('invalid_target', stsDescriptions.unknownTarget);
  const { pool, provider } = found;

  const verification = await deps.verify(subjectToken, provider.oidc.issuerUri);
  if (!verification.ok) return tokenRefusal(verification, provider);
  const claims = verification.claims;
  // Google requires `iat`: a token without one is "stale" (measured against the real service).
  if (typeof claims.iat !== 'number') return stale(claims);

  // Audience, attribute mapping and attribute condition: the policy engine decides, as for `wif explain`.
  const resource = providerResource(deps.config, pool, provider);
  const decision = evaluateGcpProvider(
    {
      name: resource,
      disabled: provider.disabled,
      issuerUri: provider.oidc.issuerUri,
      allowedAudiences: provider.oidc.allowedAudiences,
      attributeMapping: provider.attributeMapping,
      ...(provider.attributeCondition === undefined
        ? {}
        : { attributeCondition: provider.attributeCondition }),
    },
    claims,
    { requestedAudience: audience },
  );
  deps.onDecision?.(decision);
  if (!decision.accepted || decision.subject === undefined) return refusalOf(decision);

  const now = deps.now();
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : now;
  const lifetime = Math.min(exp - now, MAX_FEDERATED_SECONDS * 1000);
  // Google reports one second less than the cap (3599 for a long-lived subject token).
  const expiresIn = Math.max(1, Math.floor(lifetime / 1000) - 1);
  const scopes = (params.scope ?? '').split(' ').filter((s) => s !== '');
  const accessToken = deps.store.issue(
    {
      kind: 'federated',
      scopes: scopes.length === 0 ? [CLOUD_PLATFORM] : scopes,
      expiresAt: now + expiresIn * 1000,
      pool: poolResource(deps.config, pool),
      provider: resource,
      subject: decision.subject,
      attributes: decision.attributes,
    },
    now,
  );
  return {
    status: 200,
    body: {
      access_token: accessToken,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn,
    },
  };
}

function findProvider(
  config: GcpConfig,
  project: string | undefined,
  poolId: string | undefined,
  providerId: string | undefined,
): { pool: GcpPool; provider: GcpProvider } | undefined {
  if (project !== config.projectNumber) return undefined;
  const pool = config.pools.find((p) => p.id === poolId && !p.disabled);
  const provider = pool?.providers.find((p) => p.id === providerId && !p.disabled);
  return pool === undefined || provider === undefined ? undefined : { pool, provider };
}

function stale(claims: Claims | undefined): WireResponse {
  const iat = typeof claims?.iat === 'number' ? String(claims.iat) : 'null';
  return oauthError('invalid_grant', `ID Token issued at ${iat} is stale to sign-in.`);
}

function tokenRefusal(
  verification: Extract<TokenVerification, { ok: false }>,
  provider: GcpProvider,
): WireResponse {
  const claims = verification.claims;
  const iss = typeof claims?.iss === 'string' ? claims.iss : 'null';
  switch (verification.reason) {
    case 'unknown-issuer':
      // The configured issuer itself being refused means it is not one the sandbox can reach.
      if (iss === provider.oidc.issuerUri)
        return oauthError('invalid_grant', stsDescriptions.issuerUnreachable);
      return issuerMismatch(iss, provider);
    case 'issuer-unreachable':
      return oauthError('invalid_grant', stsDescriptions.issuerUnreachable);
    case 'bad-signature':
      return oauthError('invalid_grant', stsDescriptions.badSignature);
    case 'expired':
    case 'not-yet-valid':
      return stale(claims);
    case 'audience':
      return oauthError('invalid_grant', stsDescriptions.audienceMismatch);
    case 'malformed':
      if (claims !== undefined && typeof claims.iss !== 'string')
        return issuerMismatch('null', provider);
      if (claims !== undefined && typeof claims.exp !== 'number') return stale(claims);
      return oauthError('invalid_grant', 'Unable to parse the ID Token.');
  }
}

function issuerMismatch(iss: string, provider: GcpProvider): WireResponse {
  return oauthError(
    'invalid_grant',
    `The issuer in ID Token ${iss} does not match the expected one in config: ${provider.oidc.issuerUri}`,
  );
}

/**
 * The engine names the OAuth error and description; Google answers every one of them with
 * HTTP 400 (measured, unauthorized_client included), so the status is ours.
 */
function refusalOf(decision: GcpProviderDecision): WireResponse {
  if (decision.error !== undefined)
    return oauthError(decision.error.error, decision.error.description);
  return oauthError('unauthorized_client', stsDescriptions.conditionRejected);
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
