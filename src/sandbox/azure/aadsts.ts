import { randomUUID } from 'node:crypto';

/**
 * The AADSTS errors the emulator answers with, and the JSON envelope Entra ID wraps them in.
 * Statuses follow RFC 6749 §5.2 as Entra applies them: `invalid_client` is 401, the other
 * OAuth errors 400. Message texts are paraphrased from the error-code reference
 * (learn.microsoft.com/entra/identity-platform/reference-error-codes) and from the bodies
 * quoted in public issue threads; the numbers and OAuth error names are the service's.
 */
export type OAuthError =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_tenant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

/** What an AADSTS message may mention; each entry of the catalog uses the fields it needs. */
export interface AadstsDetails {
  readonly tenant?: string;
  readonly tenantName?: string;
  readonly clientId?: string;
  readonly parameter?: string;
  readonly grantType?: string;
  readonly scope?: string;
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: string;
  readonly keyId?: string;
  /** Seconds since the epoch, for AADSTS700024. */
  readonly now?: number;
  readonly notBefore?: number;
  readonly expires?: number;
}

interface CatalogEntry {
  readonly error: OAuthError;
  readonly status: number;
  readonly message: (d: AadstsDetails) => string;
}

const ficDocs = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
const checkFic =
  'Check your federated identity credential Subject, Audience and Issuer against the presented assertion.';
const unknown = (value: string | undefined): string => value ?? '(none)';

const catalog = {
  /** A required form field is missing. */
  900144: {
    error: 'invalid_request',
    status: 400,
    message: (d) =>
      `The request body must contain the following parameter: '${unknown(d.parameter)}'.`,
  },
  /** Unknown tenant (on the token endpoint; discovery answers `invalid_tenant`). */
  90002: {
    error: 'invalid_request',
    status: 400,
    message: (d) =>
      `Tenant '${unknown(d.tenant)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
  700016: {
    error: 'unauthorized_client',
    status: 400,
    message: (d) =>
      `Application with identifier '${unknown(d.clientId)}' was not found in the directory '${unknown(d.tenantName)}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  70003: {
    error: 'unsupported_grant_type',
    status: 400,
    message: (d) => `The app requested an unsupported grant type '${unknown(d.grantType)}'.`,
  },
  1002012: {
    error: 'invalid_scope',
    status: 400,
    message: (d) =>
      `The provided value for scope ${unknown(d.scope)} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  },
  90011: {
    error: 'invalid_request',
    status: 400,
    message: () => 'Unexpected client assertion type.',
  },
  7000215: {
    error: 'invalid_client',
    status: 401,
    message: () =>
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
  },
  /** The token endpoint is POST only. */
  900561: {
    error: 'invalid_request',
    status: 400,
    message: (d) =>
      `The endpoint only accepts POST, OPTIONS requests. Received a ${unknown(d.parameter)} request.`,
  },
  7000218: {
    error: 'invalid_client',
    status: 401,
    message: () =>
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  },
  50027: {
    error: 'invalid_request',
    status: 400,
    message: () => 'JWT token is invalid or malformed.',
  },
  7000272: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `The certificate with identifier ${unknown(d.keyId)} used to sign the federated credential could not be found in the metadata of identity provider ${unknown(d.issuer)}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
  },
  50166: {
    error: 'invalid_client',
    status: 401,
    message: (d) => `Request to External OIDC endpoint failed. Issuer: '${unknown(d.issuer)}'.`,
  },
  700024: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `Client assertion is not within its valid time range. Current time: ${entraInstant(d.now)}, assertion valid from ${entraInstant(d.notBefore ?? 0)}, expiry time of assertion ${entraInstant(d.expires)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
  },
  70021: {
    error: 'invalid_request',
    status: 400,
    message: (d) =>
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${unknown(d.issuer)}'. Assertion Subject: '${unknown(d.subject)}'. Assertion Audience: '${unknown(d.audience)}'. ${ficDocs}`,
  },
  700211: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `No matching federated identity record found for presented assertion issuer '${unknown(d.issuer)}'. ${checkFic} ${ficDocs}`,
  },
  700212: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `No matching federated identity record found for presented assertion audience '${unknown(d.audience)}'. ${checkFic} ${ficDocs}`,
  },
  700213: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `No matching federated identity record found for presented assertion subject '${unknown(d.subject)}'. ${checkFic} ${ficDocs}`,
  },
  7002138: {
    error: 'invalid_client',
    status: 401,
    message: (d) =>
      `No matching federated identity record found for presented assertion subject '${unknown(d.subject)}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. ${checkFic} ${ficDocs}`,
  },
  /** A transient service failure; what an injected error without a code looks like. */
  90006: {
    error: 'temporarily_unavailable',
    status: 503,
    message: () => 'The service is temporarily unavailable. Retry the request.',
  },
} as const satisfies Record<number, CatalogEntry>;

export type AadstsCode = keyof typeof catalog;

export function isAadstsCode(code: number): code is AadstsCode {
  return Object.hasOwn(catalog, code);
}

/** Parses `AADSTS70021` or `70021` (a fault knob's `errorCode`) into a catalogued code. */
export function parseAadstsCode(text: string): AadstsCode | undefined {
  const match = /^(?:AADSTS)?(\d+)$/i.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  const code = Number(match[1]);
  return isAadstsCode(code) ? code : undefined;
}

export interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

export interface EntraErrorResponse {
  readonly status: number;
  readonly body: EntraErrorBody;
}

export interface RenderOptions {
  /** Echoed from the request's `client-request-id`, as Entra does; random otherwise. */
  readonly correlationId?: string | undefined;
  readonly now?: Date;
  /** Overrides the OAuth error name (discovery reports an unknown tenant as `invalid_tenant`). */
  readonly error?: OAuthError;
}

/** Builds the exact error envelope Entra ID answers with for one AADSTS code. */
export function entraError(
  code: AadstsCode,
  details: AadstsDetails = {},
  options: RenderOptions = {},
): EntraErrorResponse {
  const entry: CatalogEntry = catalog[code];
  const traceId = randomUUID();
  const correlationId = options.correlationId ?? randomUUID();
  const timestamp = entraTimestamp(options.now ?? new Date());
  return {
    status: entry.status,
    body: {
      error: options.error ?? entry.error,
      error_description: `AADSTS${code}: ${entry.message(details)} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

/** `2026-01-01 00:00:00Z`, the envelope's timestamp format. */
function entraTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `2026-01-01T00:00:00.0000000Z`, the seven-digit instant AADSTS700024 prints. */
function entraInstant(seconds: number | undefined): string {
  if (seconds === undefined) return '(none)';
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.0000000Z`;
}
